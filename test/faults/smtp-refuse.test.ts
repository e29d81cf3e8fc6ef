// The SMTP server refuses for a while — temporary failures (421, 451) at the end of
// DATA, as a busy or greylisting relay does — then accepts: every email arrives once.
// A permanent refusal (550) of one address is recorded as failed and not retried.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { recipient } from '../support/smtp.js';
import { emails, expectedTally, mailTally, onboarding, sleep } from '../support/faults.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const refusal = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

test('refused for a while with 4xx, then accepted: each email once; a 550 is failed, not retried', async () => {
  const programId = await tend.publish(onboarding());
  const stats = async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  const contacts = emails('refused', 5);
  let refusing = true;
  let refusals = 0;
  tend.mailbox.beforeAccept = async (raw) => {
    if (raw.toString('utf8').includes('bounce@example.com')) throw refusal(550, 'No such user');
    if (!refusing) return;
    refusals += 1;
    throw refusals % 2 ? refusal(451, 'Try again later') : refusal(421, 'Service not available');
  };
  for (const email of [...contacts, 'bounce@example.com']) await tend.event({ type: 'signed_up', email });
  // Every send is refused at least once (most of them twice: retries back off from one second).
  await tend.until(async () => refusals >= contacts.length * 2, 'the sends to be refused', 60000);
  expect(tend.mailbox.messages).toHaveLength(0);
  refusing = false;

  await tend.until(async () => (await stats()).nodes.wait.waiting === contacts.length + 1, 'everyone past the welcome', 60000);
  await sleep(1000);
  expect(mailTally(tend.mailbox)).toEqual(expectedTally(contacts, ['Welcome']));
  expect(tend.mailbox.messages.map(recipient)).not.toContain('bounce@example.com');
  const rows = await tend.sql<{ recipient: string; status: string; reason: string | null }>("SELECT recipient, status, reason FROM messages WHERE channel = 'email' ORDER BY recipient");
  expect(rows).toHaveLength(contacts.length + 1);
  expect(rows.find((r) => r.recipient === 'bounce@example.com')).toMatchObject({ status: 'failed', reason: expect.stringContaining('No such user') });
  expect(rows.filter((r) => r.status === 'sent').map((r) => r.recipient).sort()).toEqual([...contacts].sort());
});
