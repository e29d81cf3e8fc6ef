// The home screen's figures, from what really happened: three sign-ups run a program
// that emails each and calls a CRM that refuses (400); two open the email, one clicks,
// one unsubscribes by one-click. The dashboard counts today's events, sends, opens,
// clicks and unsubscribes, the program's contacts, and the refused calls as failing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let tend: Tend;
let crm: Receiver;
beforeAll(async () => {
  [tend, crm] = await Promise.all([startTend(), startReceiver()]);
  crm.respond = () => ({ status: 400, body: { error: 'unknown field' } });
});
afterAll(async () => { await tend?.stop(); await crm?.close(); });

test('the dashboard counts what happened today, per program, and what is failing', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome', html: '<p><a href="https://example.com/start">Start here</a></p>' } },
      { id: 'crm', type: 'tend.action.webhook', version: 1, config: { method: 'POST', url: `${crm.url}/contacts`, body: '{"email": "{{contact.email}}"}' } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }, { id: 'e2', source: 'welcome', sourcePort: 'next', target: 'crm' }],
  });
  const people = ['ann@example.com', 'ben@example.com', 'cat@example.com'];
  for (const email of people) await tend.event({ type: 'signed_up', email });
  await tend.mailbox.waitFor(3, 30_000);
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.enrollments.completed === 3, 'three runs', 30_000);

  const html = (to: string) => String(tend.mailbox.messages.find((m) => (m.to as { text: string }).text === to)!.html);
  for (const email of people.slice(0, 2)) expect((await fetch(/<img src="([^"]+\/o\/[^"]+)"/.exec(html(email))![1]!)).status).toBe(200);
  expect((await fetch(/href="([^"]+\/c\/[^"]+)"/.exec(html(people[0]!))![1]!, { redirect: 'manual' })).status).toBe(302);
  const unsubscribe = /href="([^"]+\/unsubscribe\/[^"]+)"/.exec(html(people[2]!))![1]!;
  expect((await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

  // (The unsubscribe's own event waits a moment in the outbox for the dispatcher.)
  const d = await tend.until(async () => {
    const body = (await tend.api('GET', '/api/dashboard?days=7')).body;
    return body.failing.outbox === 0 ? body : undefined;
  }, 'the outbox drained');
  expect(d.days).toBe(7);
  expect(d.contacts).toEqual({ total: 3, newThisWeek: 3 });
  expect(d.perDay).toHaveLength(7);
  expect(d.perDay[6].day).toBe(new Date().toISOString().slice(0, 10));
  expect(d.perDay[6]).toMatchObject({ events: 3, sent: 3, opened: 2, clicked: 1, unsubscribed: 1 });
  expect(d.perDay.slice(0, 6).every((r: { events: number; sent: number }) => r.events === 0 && r.sent === 0)).toBe(true);
  expect(d.programs).toEqual([{ id: programId, name: 'Welcome', version: 1, inside: 0, entered: 3, goals: 0 }]);
  // The CRM's refusals: one failed call per contact, named by program.
  expect(d.failing.failedMessages).toBe(3);
  expect(d.failing.byProgram).toEqual([{ id: programId, name: 'Welcome', failedMessages: 3, failedSteps: 0 }]);
  expect(d.failing.oldestOutboxSeconds).toBeNull();
  expect((await tend.api('GET', '/api/dashboard?days=0')).status).toBe(400);
});
