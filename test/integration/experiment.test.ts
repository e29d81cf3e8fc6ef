// An A/B experiment decides its winner from real conversions: variant A's contacts buy
// within the window, B's do not; once both have the minimum sample, every later contact
// outside the holdout gets A, and the holdout gets nothing. Results are on the API.
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

const assignments = async () =>
  new Map((await tend.sql("SELECT c.email, e.properties->>'variant' AS variant FROM events e JOIN contacts c ON c.id = e.contact_id WHERE e.type = 'tend.experiment_assigned'")).map((r) => [r.email as string, r.variant as string]));
/** A purchase one second after the contact's assignment, whenever it is sent: conversions do not depend on the machine's speed. */
const purchaseAfterAssignment = async (email: string) => {
  const [row] = await tend.sql("SELECT e.occurred_at FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND e.type = 'tend.experiment_assigned'", [email]);
  await tend.event({ type: 'purchased', email, occurredAt: new Date(row.occurred_at.getTime() + 1000).toISOString() });
};

test('the variant that converts wins once both have their sample; later contacts get it, the holdout nothing', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Offer test',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'test', type: 'tend.logic.experiment', version: 1, config: { variants: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }], holdoutPercent: 20, metric: 'conversion', conversionEvent: 'purchased', window: '25 seconds', minSample: 4 } },
      { id: 'offerA', type: 'tend.action.email', version: 1, config: { subject: 'Offer A', html: '<p>A</p>' } },
      { id: 'offerB', type: 'tend.action.email', version: 1, config: { subject: 'Offer B', html: '<p>B</p>' } },
    ],
    edges: [
      { id: 'e1', source: 'signup', sourcePort: 'next', target: 'test' },
      { id: 'e2', source: 'test', sourcePort: 'a', target: 'offerA' },
      { id: 'e3', source: 'test', sourcePort: 'b', target: 'offerB' },
    ],
  });
  const first = Array.from({ length: 30 }, (_, i) => `early${i}@example.com`);
  // One batch, so every first contact is assigned before any of their windows pass
  // (the window is long enough for thirty runs to start on a loaded 2-core machine).
  expect((await tend.api('POST', '/api/events/batch', { events: first.map((email) => ({ type: 'signed_up', email })) })).status).toBe(202);
  await tend.until(async () => (await assignments()).size === 30, 'thirty assignments');
  const early = await assignments();
  const count = (v: string) => [...early.values()].filter((x) => x === v).length;
  expect(count('a')).toBeGreaterThanOrEqual(4);
  expect(count('b')).toBeGreaterThanOrEqual(4);
  for (const [email, variant] of early) if (variant === 'a') await purchaseAfterAssignment(email);
  const undecided = await tend.api('GET', `/api/flows/${program}/experiments/test`);
  expect(undecided.status).toBe(200);
  expect(undecided.body.winner).toBeUndefined();

  // The window passes for the first contacts.
  const last = (await tend.sql("SELECT max(occurred_at) AS at FROM events WHERE type = 'tend.experiment_assigned'"))[0].at as Date;
  await new Promise((r) => setTimeout(r, Math.max(0, last.getTime() + 25_500 - Date.now())));
  const later = Array.from({ length: 15 }, (_, i) => `later${i}@example.com`);
  for (const email of later) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => (await assignments()).size === 45, 'all assignments');
  const all = await assignments();
  const mailed = new Map<string, string>();
  await tend.until(async () => {
    for (const m of tend.mailbox.messages) mailed.set(recipient(m), m.subject!);
    return [...all].filter(([, v]) => v !== 'holdout').every(([email]) => mailed.has(email));
  }, 'every non-holdout contact mailed');
  for (const email of later) {
    expect(['a', 'holdout']).toContain(all.get(email));
    expect(mailed.get(email)).toBe(all.get(email) === 'a' ? 'Offer A' : undefined);
  }
  for (const [email, variant] of early) expect(mailed.get(email)).toBe(variant === 'holdout' ? undefined : variant === 'a' ? 'Offer A' : 'Offer B');

  const decided = await tend.api('GET', `/api/flows/${program}/experiments/test`);
  expect(decided.body.winner).toBe('a');
  const rate = (v: string) => decided.body.results.find((r: { variant: string }) => r.variant === v);
  expect(rate('a')).toMatchObject({ assigned: count('a'), converted: count('a'), rate: 1 });
  expect(rate('b')).toMatchObject({ assigned: count('b'), converted: 0, rate: 0 });
  expect(decided.body.holdout).toMatchObject({ variant: 'holdout', converted: 0 });
  expect((await tend.api('GET', `/api/flows/${program}/experiments/nope`)).status).toBe(404);
});
