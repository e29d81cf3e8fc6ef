// A program with a goal worth its order total and a 30% holdout, on real servers: the
// held-out entrants are recorded and get no email (the SMTP mailbox), orders become
// conversions credited by last touch (the email) and first touch (the entry), and the
// API serves the conversions, revenue, holdout and lift with its interval; then a
// marketer opens the program's results in Chromium.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AddressObject, ParsedMail } from 'mailparser';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';
import { lift } from '../../engine/results/lift.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../server/openapi.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const recipient = (m: ParsedMail) => (m.to as AddressObject | undefined)?.value[0]?.address;
const ordered = { field: 'event.type', op: 'eq', value: 'order_completed' };

/** The served OpenAPI document's schema of the answer, resolving its components as a client does. */
function answerSchema() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(ajv);
  ajv.addSchema({ ...openApiDocument(), $id: 'tend:openapi' });
  return ajv.getSchema('tend:openapi#/paths/~1api~1flows~1{id}~1attribution/get/responses/200/content/application~1json/schema')!;
}

test('conversions, revenue and lift over a holdout that gets nothing', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Welcome with a holdout',
    settings: { goal: ordered, goalValue: 'properties.total', attributionWindow: '1 hour', holdoutPercent: 30 },
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, label: 'Signed up', config: { eventType: 'signed_up' }, position: { x: 0, y: 0 } },
      { id: 'welcome', type: 'tend.action.email', version: 1, label: 'Welcome email', config: { subject: 'Welcome', html: '<p>Hello</p>' }, position: { x: 300, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
  });
  const emails = Array.from({ length: 40 }, (_, i) => `p${i}@example.com`);
  expect((await tend.api('POST', '/api/events/batch', { events: emails.map((email) => ({ type: 'signed_up', email })) })).status).toBe(202);
  const entries = await tend.until(async () => {
    const rows = await tend.sql('SELECT c.email, e.status FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1', [program]);
    return rows.length === 40 && rows;
  }, 'forty entries');
  const held = entries.filter((r) => r.status === 'held_out').map((r) => r.email as string).sort();
  const treated = emails.filter((e) => !held.includes(e));
  // 30% of 40 by hash: some on each side (none held out would happen about once in 1.6 million runs).
  expect(held.length).toBeGreaterThan(0);
  expect(treated.length).toBeGreaterThan(5);

  // Every treated entrant gets the email; no held-out one does, and no step ran for them.
  await tend.mailbox.waitFor(treated.length);
  await tend.until(async () => (await tend.sql("SELECT 1 FROM enrollments WHERE program_id = $1 AND status = 'active'", [program])).length === 0, 'runs ended');
  expect(tend.mailbox.messages.map(recipient).sort()).toEqual([...treated].sort());
  expect(await tend.sql("SELECT 1 FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id WHERE e.status = 'held_out'")).toEqual([]);
  expect(await tend.sql("SELECT 1 FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.email = ANY($1)", [held])).toEqual([]);

  // Orders: four treated buyers (one twice), one held-out buyer; an order from before the
  // entry and another event type are no conversions.
  const [a, b, c, d, e] = treated as [string, string, string, string, string];
  for (const email of [a, b, c, d]) await tend.event({ type: 'order_completed', email, properties: { total: 50 } });
  await tend.event({ type: 'order_completed', email: a, properties: { total: '25' } });
  await tend.event({ type: 'order_completed', email: e, properties: { total: 999 }, occurredAt: new Date(Date.now() - 86_400_000).toISOString() });
  await tend.event({ type: 'page_view', email: e, properties: { total: 5 } });
  await tend.event({ type: 'order_completed', email: held[0], properties: { total: 20 } });

  const res = await tend.api('GET', `/api/flows/${program}/attribution?days=7`);
  expect(res.status).toBe(200);
  const r = res.body;
  const valid = answerSchema();
  expect(valid(r), JSON.stringify(valid.errors)).toBe(true);
  expect(r).toMatchObject({ programId: program, version: 1, value: 'properties.total', window: '1 hour', holdoutPercent: 30, conversions: 5, revenue: 225, contacts: 4 });
  expect(r.groups.treated).toMatchObject({ entrants: treated.length, converted: 4, revenue: 225 });
  expect(r.groups.holdout).toMatchObject({ entrants: held.length, converted: 1, revenue: 20 });
  // Last touch: the email; first touch: the entry, credited to the trigger node.
  const byNode = Object.fromEntries(r.byNode.map((n: { nodeId: string }) => [n.nodeId, n]));
  expect(byNode.welcome).toEqual({ nodeId: 'welcome', lastTouch: { conversions: 5, revenue: 225 }, firstTouch: { conversions: 0, revenue: 0 } });
  expect(byNode.signup).toEqual({ nodeId: 'signup', lastTouch: { conversions: 0, revenue: 0 }, firstTouch: { conversions: 5, revenue: 225 } });
  const sentTo = await tend.sql("SELECT m.id, c.email FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE m.program_id = $1 AND c.email = ANY($2)", [program, [a, b, c, d]]);
  expect(r.byMessage.map((m: { messageId: string }) => m.messageId).sort()).toEqual(sentTo.map((m) => m.id).sort());
  expect(r.byMessage.find((m: { messageId: string }) => m.messageId === sentTo.find((x) => x.email === a)!.id).lastTouch).toEqual({ conversions: 2, revenue: 75 });
  // The lift and its interval: 4 of the treated against 1 of the held out.
  const expected = lift({ n: treated.length, converted: 4 }, { n: held.length, converted: 1 })!;
  expect(r.lift.difference).toBeCloseTo(4 / treated.length - 1 / held.length, 10);
  expect(r.lift.low).toBeCloseTo(expected.low, 10);
  expect(r.lift.high).toBeCloseTo(expected.high, 10);
  expect(r.lift.low).toBeLessThan(r.lift.difference);
  expect(r.lift.high).toBeGreaterThan(r.lift.difference);
  expect(r.lift.method).toMatch(/Newcombe.*two-proportion z-test/);
  expect(r.lift.incrementalRevenue).toBeCloseTo((225 / treated.length - 20 / held.length) * treated.length, 6);
  expect(r.perDay).toHaveLength(7);
  expect(r.perDay.at(-1)).toMatchObject({ conversions: 5, revenue: 225, lift: r.lift.difference });

  // A program whose goal reads the contact has nothing to count, and says which setting.
  const plain = await tend.publish({ format: 'tend.flow/v1', name: 'No goal', nodes: [{ id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } }], edges: [] });
  const none = await tend.api('GET', `/api/flows/${plain}/attribution`);
  expect(none.status).toBe(404);
  expect(none.body.errors[0].path).toBe('/settings/goal');
  // Publishing a holdout without a goal is refused, naming the field.
  const refused = await tend.api('POST', '/api/flows/validate', { format: 'tend.flow/v1', name: 'x', settings: { holdoutPercent: 10 }, nodes: [{ id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } }], edges: [] });
  expect(JSON.stringify(refused.body)).toContain('/settings/holdoutPercent');

  // The program's results in the editor.
  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${program}`);
  // The settings are in the program panel (nothing selected), a form made from their schema.
  await page.getByText('Holdout percent', { exact: true }).waitFor();
  await page.getByText('Goal value', { exact: true }).waitFor();
  await page.getByText('Holdout percent', { exact: true }).scrollIntoViewIfNeeded();
  await s.screenshot('program-attribution-settings');
  await page.getByTestId('results').click();
  await page.getByTestId('program-results').waitFor();
  await expect.poll(() => page.getByTestId('card-conversions').locator('.card-value').textContent()).toBe('5');
  expect(await page.getByTestId('card-revenue').locator('.card-value').textContent()).toBe('225');
  expect(await page.getByTestId('card-holdout').textContent()).toContain(`1 of ${held.length} held out`);
  expect(await page.getByTestId('card-lift').textContent()).toContain('95% CI');
  expect(await page.getByTestId('lift-method').textContent()).toContain('Newcombe');
  await page.getByTestId('chart-revenue').locator('.recharts-bar-rectangle').first().waitFor();
  // Today's point (the days before had no entrants, so no lift).
  await page.getByTestId('chart-lift').locator('.recharts-line-dots circle').first().waitFor();
  expect(await page.getByTestId('credit-by-node').locator('tr[data-node="welcome"]').textContent()).toContain('Welcome email');
  await s.screenshot('program-results');
  expectNoBrowserErrors(s);

  // A held-out contact who comes again (re-entry after exit, the default) is held out again: still no email.
  const mails = tend.mailbox.messages.length;
  await tend.event({ type: 'signed_up', email: held[0] });
  await tend.until(async () => (await tend.sql("SELECT 1 FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 AND c.email = $2 AND e.status = 'held_out'", [program, held[0]])).length === 2, 'a second held-out entry');
  await new Promise((r) => setTimeout(r, 500));
  expect(tend.mailbox.messages.length).toBe(mails);
});
