// A marketer opens a live A/B experiment in the editor: the inspector shows each
// variant's and the holdout's conversion rate as bars, and the winner once decided.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const assignments = async () =>
  new Map((await tend.sql("SELECT c.email, e.properties->>'variant' AS variant FROM events e JOIN contacts c ON c.id = e.contact_id WHERE e.type = 'tend.experiment_assigned'")).map((r) => [r.email as string, r.variant as string]));

test('the experiment node shows rates per variant and the winner', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Subject line test',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 0, y: 100 } },
      { id: 'test', type: 'tend.logic.experiment', version: 1, label: 'Subject test', config: { variants: [{ name: 'short', weight: 50 }, { name: 'long', weight: 50 }], holdoutPercent: 20, metric: 'conversion', conversionEvent: 'purchased', window: '8 seconds', minSample: 3 }, position: { x: 300, y: 100 } },
      { id: 'mailShort', type: 'tend.action.email', version: 1, config: { subject: 'Hi', html: '<p>s</p>' }, position: { x: 600, y: 0 } },
      { id: 'mailLong', type: 'tend.action.email', version: 1, config: { subject: 'Hello there, a longer subject', html: '<p>l</p>' }, position: { x: 600, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'signup', sourcePort: 'next', target: 'test' },
      { id: 'e2', source: 'test', sourcePort: 'short', target: 'mailShort' },
      { id: 'e3', source: 'test', sourcePort: 'long', target: 'mailLong' },
    ],
  });
  // One batch, so every contact is assigned before any of their windows pass.
  expect((await tend.api('POST', '/api/events/batch', { events: Array.from({ length: 24 }, (_, i) => ({ type: 'signed_up', email: `p${i}@example.com` })) })).status).toBe(202);
  await tend.until(async () => (await assignments()).size === 24, 'assignments');
  for (const [email, variant] of await assignments()) {
    if (variant !== 'long') continue;
    // One second after the assignment, whenever it is sent: conversions do not depend on the machine's speed.
    const [row] = await tend.sql("SELECT e.occurred_at FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND e.type = 'tend.experiment_assigned'", [email]);
    await tend.event({ type: 'purchased', email, occurredAt: new Date(row.occurred_at.getTime() + 1000).toISOString() });
  }
  const last = (await tend.sql("SELECT max(occurred_at) AS at FROM events WHERE type = 'tend.experiment_assigned'"))[0].at as Date;
  await new Promise((r) => setTimeout(r, Math.max(0, last.getTime() + 8500 - Date.now())));
  // The next contacts decide (the first one outside the holdout does).
  for (let i = 0; i < 6; i++) await tend.event({ type: 'signed_up', email: `decider${i}@example.com` });
  await tend.until(async () => (await tend.sql('SELECT 1 FROM experiment_winners')).length === 1, 'a winner');

  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${program}`);
  await canvasNode(page, 'test').click();
  const results = page.getByTestId('experiment-results');
  await results.getByTestId('experiment-winner').filter({ hasText: 'long' }).waitFor();
  const bar = (variant: string) => results.locator(`li[data-variant="${variant}"]`);
  await expect.poll(() => bar('long').locator('.bar-value').textContent()).toMatch(/^100%/);
  expect(await bar('short').locator('.bar-value').textContent()).toMatch(/^0%/);
  expect(await bar('holdout').count()).toBe(1);
  await s.screenshot('experiment-results');
  expectNoBrowserErrors(s);
});
