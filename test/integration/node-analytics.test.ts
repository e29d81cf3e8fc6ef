// Analytics per step (issue #13 point 9), server side: an unsubscribe is credited to the
// last email the contact was sent before it, from whichever program sent it, once; runs
// that ended at a node are its "exited"; the per-day series holds today's figures and
// refuses a node the program does not have.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const mailer = (name: string, eventType: string) => ({
  format: 'tend.flow/v1', name,
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType } },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: name, html: '<p>Hi</p>' } },
  ],
  edges: [{ id: 'e0', source: 'start', sourcePort: 'next', target: 'mail' }],
});

test('an unsubscribe counts once, at the last email before it; exited and the daily series', async () => {
  const a = await tend.publish(mailer('First', 'first'));
  const b = await tend.publish(mailer('Second', 'second'));
  const mailTo = (email: string, subject: string) => tend.until(async () => tend.mailbox.messages.find((m) => (m.to as { text: string }).text === email && m.subject === subject), `${subject} to ${email}`, 60_000);
  const unsubscribe = async (html: unknown) => {
    const url = /href="([^"]+\/unsubscribe\/[^"]+)"/.exec(String(html))![1]!;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
  };
  // Ann gets First, then Second, then unsubscribes: Second's. Ben gets First only: First's.
  await tend.event({ type: 'first', email: 'ann@example.com' });
  await mailTo('ann@example.com', 'First');
  await tend.event({ type: 'second', email: 'ann@example.com' });
  const second = await mailTo('ann@example.com', 'Second');
  await unsubscribe(second.html);
  await tend.event({ type: 'first', email: 'ben@example.com' });
  const first = await mailTo('ben@example.com', 'First');
  await unsubscribe(first.html);

  const stats = async (id: string) => (await tend.api('GET', `/api/flows/${id}/stats`)).body;
  await tend.until(async () => (await stats(a)).enrollments.completed === 2 && (await stats(b)).enrollments.completed === 1, 'the runs to end');
  const [sa, sb] = [await stats(a), await stats(b)];
  expect(sa.nodes.mail.messages).toMatchObject({ sent: 2, unsubscribed: 1 });
  expect(sb.nodes.mail.messages).toMatchObject({ sent: 1, unsubscribed: 1 });
  // The runs end at the email (nothing after it): exited there, not at the trigger.
  expect([sa.nodes.mail.exited, sa.nodes.start.exited, sb.nodes.mail.exited]).toEqual([2, 0, 1]);

  const today = new Date().toISOString().slice(0, 10);
  const series = (await tend.api('GET', `/api/flows/${a}/nodes/mail/analytics?days=7`)).body;
  expect(series).toMatchObject({ id: a, node: 'mail', days: 7 });
  expect(series.series).toHaveLength(7);
  expect(series.series.at(-1)).toEqual({ day: today, entered: 2, exited: 2, sent: 2, opened: 0, clicked: 0, unsubscribed: 1 });
  expect(series.series.slice(0, -1).every((d: Record<string, unknown>) => d.entered === 0 && d.sent === 0)).toBe(true);
  expect((await tend.api('GET', `/api/flows/${a}/nodes/nope/analytics`)).status).toBe(404);
  expect((await tend.api('GET', `/api/flows/${a}/nodes/mail/analytics?days=91`)).status).toBe(400);
}, 120_000);
