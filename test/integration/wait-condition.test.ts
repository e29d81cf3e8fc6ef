// Wait for a condition: re-checked as the contact's events arrive (no polling), met
// at once when it already holds, timed out otherwise.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { recipient } from '../support/smtp.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

const to = (email: string) => tend.mailbox.messages.filter((m) => recipient(m) === email).map((m) => m.subject);
const visits = async (email: string) =>
  Number((await tend.sql("SELECT count(*) AS n FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND v.node_id = 'engaged'", [email]))[0].n);

test('met when events push the score over, at once when it already holds, timed out when nothing happens', async () => {
  expect((await tend.api('POST', '/api/scoring-rules', { name: 'Used the app', eventType: 'app_used', points: 10 })).status).toBe(201);
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Trial engagement',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'trial_started' } },
      { id: 'engaged', type: 'tend.wait.condition', version: 1, config: { condition: { field: 'contact.score', op: 'gte', value: 20 }, timeout: '8 seconds' } },
      { id: 'fire', type: 'tend.action.email', version: 1, config: { subject: 'You are on fire', html: '<p>f</p>' } },
      { id: 'help', type: 'tend.action.email', version: 1, config: { subject: 'Need a hand?', html: '<p>h</p>' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'engaged' },
      { id: 'e2', source: 'engaged', sourcePort: 'met', target: 'fire' },
      { id: 'e3', source: 'engaged', sourcePort: 'timeout', target: 'help' },
    ],
  });
  for (let i = 0; i < 2; i++) await tend.event({ type: 'app_used', email: 'already@example.com' });
  await tend.until(async () => (await tend.api('GET', '/api/contacts?email=already%40example.com')).body.contacts[0]?.score === 20, 'a score of 20');
  for (const email of ['active@example.com', 'idle@example.com', 'already@example.com']) await tend.event({ type: 'trial_started', email });
  await tend.until(async () => to('already@example.com').length === 1, 'met at once');
  await tend.until(async () => (await tend.sql("SELECT 1 FROM node_visits WHERE node_id = 'engaged' AND status = 'waiting'")).length === 2, 'two waiting');
  await tend.event({ type: 'app_used', email: 'active@example.com' });
  await new Promise((r) => setTimeout(r, 500));
  expect(to('active@example.com')).toEqual([]); // 10 is not 20
  await tend.event({ type: 'app_used', email: 'active@example.com' });
  await tend.until(async () => to('active@example.com').length === 1, 'met on the second use', 5000);
  await tend.until(async () => to('idle@example.com').length === 1, 'the timeout', 20_000);
  expect(to('already@example.com')).toEqual(['You are on fire']);
  expect(to('active@example.com')).toEqual(['You are on fire']);
  expect(to('idle@example.com')).toEqual(['Need a hand?']);
  // Nothing happened to the idle contact: checked when they arrived and at the timeout, never in between.
  expect(await visits('idle@example.com')).toBe(2);
  expect(await visits('already@example.com')).toBe(1);
});
