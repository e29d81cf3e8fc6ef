// Without SMTP or an SMS provider, Tend writes each email (.eml) and text (.json) to its
// data folder so a laptop install shows what it sent. Those files name the person:
// erasing the contact removes them with the rows.
import { afterAll, beforeAll, expect, test } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-files-'));
  tend = await startTend({ env: { SMTP_URL: '', TEND_DATA_DIR: dataDir, TEND_SMS_PROVIDER: 'file' } });
});
afterAll(async () => {
  await tend?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const files = (sub: string) => (fs.existsSync(path.join(dataDir, sub)) ? fs.readdirSync(path.join(dataDir, sub)) : []);

test('erasing a contact deletes the .eml and SMS files written for them, and only theirs', async () => {
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Welcome by mail and text',
    nodes: [
      { id: 'joined', type: 'tend.trigger.event', version: 1, config: { eventType: 'joined' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Welcome {{contact.email}}', html: '<p>Hello</p>', marketing: false } },
      { id: 'text', type: 'tend.action.sms', version: 1, config: { body: 'Welcome!', marketing: false } },
    ],
    edges: [{ id: 'e1', source: 'joined', sourcePort: 'next', target: 'mail' }, { id: 'e2', source: 'mail', sourcePort: 'next', target: 'text' }],
  });
  for (const email of ['gone@example.com', 'stays@example.com']) {
    await tend.api('PUT', '/api/contacts', { email, phone: '+15550123', consent: { email: true, sms: true } });
    await tend.event({ type: 'joined', email });
  }
  await tend.until(async () => files('mail').length === 2 && files('sms').length === 2, 'two emails and two texts written');
  const gone = (await tend.api('GET', '/api/contacts?email=gone@example.com')).body.contacts[0];
  const mailOfGone = files('mail').filter((f) => fs.readFileSync(path.join(dataDir, 'mail', f), 'utf8').includes('gone@example.com'));
  expect(mailOfGone).toHaveLength(1);

  const erased = await tend.api('DELETE', `/api/contacts/${gone.id}`);
  expect(erased.status).toBe(200);
  expect(erased.body.counts.filesDeleted).toBe(2);
  expect(files('mail')).toHaveLength(1);
  expect(files('sms')).toHaveLength(1);
  expect(files('mail').some((f) => fs.readFileSync(path.join(dataDir, 'mail', f), 'utf8').includes('gone@example.com'))).toBe(false);
});
