// Goal nodes: a run jumps to a goal from wherever it is — mid-wait on an event, or
// before its next step when the contact now meets the goal — once, and goes on there.
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

test('an event goal interrupts a wait; a contact goal takes over before the next step; others follow the path', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Trial with goals',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'later', type: 'tend.wait.duration', version: 1, config: { duration: '4 seconds' } },
      { id: 'reminder', type: 'tend.action.email', version: 1, config: { subject: 'Your trial ends soon', html: '<p>r</p>' } },
      { id: 'bought', type: 'tend.logic.goal', version: 1, config: { condition: { field: 'event.type', op: 'eq', value: 'purchased' } } },
      { id: 'thanks', type: 'tend.action.email', version: 1, config: { subject: 'Thanks for buying', html: '<p>t</p>' } },
      { id: 'vip', type: 'tend.logic.goal', version: 1, config: { condition: { field: 'contact.tags', op: 'contains', value: 'vip' } } },
      { id: 'concierge', type: 'tend.action.email', version: 1, config: { subject: 'Your concierge', html: '<p>c</p>' } },
    ],
    edges: [
      { id: 'e1', source: 'signup', sourcePort: 'next', target: 'later' },
      { id: 'e2', source: 'later', sourcePort: 'next', target: 'reminder' },
      { id: 'e3', source: 'bought', sourcePort: 'next', target: 'thanks' },
      { id: 'e4', source: 'vip', sourcePort: 'next', target: 'concierge' },
    ],
  });
  for (const email of ['buyer@example.com', 'vip@example.com', 'plain@example.com']) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => (await tend.sql("SELECT 1 FROM node_visits WHERE node_id = 'later' AND status = 'waiting'")).length === 3, 'all three waiting');
  await tend.event({ type: 'purchased', email: 'buyer@example.com' });
  await tend.until(async () => to('buyer@example.com').length === 1, 'the thank-you, long before the wait ends', 3000);
  await tend.api('PUT', '/api/contacts', { email: 'vip@example.com', tags: ['vip'] });
  await tend.until(async () => to('plain@example.com').length === 1 && to('vip@example.com').length === 1, 'the other two', 20_000);
  await new Promise((r) => setTimeout(r, 500));
  expect(to('buyer@example.com')).toEqual(['Thanks for buying']);
  expect(to('vip@example.com')).toEqual(['Your concierge']);
  expect(to('plain@example.com')).toEqual(['Your trial ends soon']);
  const runs = await tend.sql("SELECT c.email, e.status FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 ORDER BY c.email", [program]);
  expect(runs).toEqual([{ email: 'buyer@example.com', status: 'completed' }, { email: 'plain@example.com', status: 'completed' }, { email: 'vip@example.com', status: 'completed' }]);
  // The buyer left the wait unfinished (no port) for the goal.
  const buyerVisits = await tend.sql("SELECT v.node_id, v.port FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id JOIN contacts c ON c.id = e.contact_id WHERE c.email = 'buyer@example.com' ORDER BY v.entered_at");
  expect(buyerVisits.map((v) => `${v.node_id}:${v.port}`)).toEqual(['signup:next', 'later:null', 'bought:next', 'thanks:next']);
});
