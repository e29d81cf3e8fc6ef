// Program 10, referral after a survey: promoters are asked for a review, passives for
// feedback, detractors become a support task at the CRM (a real HTTP receiver).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { template } from '../support/templates.js';

let tend: Tend;
let crm: Receiver;
beforeAll(async () => {
  crm = await startReceiver();
  tend = await startTend();
  const imported = await tend.api('POST', '/api/flows/import', template('referral', { support: { url: `${crm.url}/api/tasks`, retryDelaySeconds: 0.2 } }));
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => {
  await tend?.stop();
  await crm?.close();
});

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('each answer gets its follow-up; a failing CRM is retried until it takes the task', async () => {
  crm.respond = (_r, i) => (i === 0 ? { status: 503 } : { status: 201, body: { id: 'T-1' } });
  const answers: [string, number, string][] = [['fan@example.com', 10, 'Love it'], ['meh@example.com', 7, 'Fine'], ['angry@example.com', 3, 'Shipping took "forever"']];
  for (const [email, score, comment] of answers) await tend.event({ type: 'survey_answered', email, properties: { score, comment } });
  await tend.mailbox.waitFor(2);
  await crm.waitFor(2);
  await new Promise((r) => setTimeout(r, 1000));
  expect(to('fan@example.com')).toEqual(['Thank you! Would you tell others?']);
  expect(to('meh@example.com')).toEqual(['What would make us a 10?']);
  expect(to('angry@example.com')).toEqual([]);
  expect(crm.requests).toHaveLength(2);
  expect(crm.requests[1]!.json).toEqual({ type: 'support', email: 'angry@example.com', score: 3, comment: 'Shipping took "forever"' });
  expect(crm.requests[0]!.headers['idempotency-key']).toBe(crm.requests[1]!.headers['idempotency-key']);
});
