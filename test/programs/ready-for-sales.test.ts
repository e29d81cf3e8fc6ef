// Program 2, ready for sales, from its template and its scoring rules: leads who reach
// 50 points become MQLs and are handed to a salesperson once (owners in turn, or their
// own); leads below 50 are left alone; a second crossing within 30 days is not handed
// over again.
import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
let programId: string;
beforeAll(async () => {
  tend = await startTend();
  const rules = JSON.parse(fs.readFileSync(new URL('../../examples/templates/scoring-rules/ready-for-sales.json', import.meta.url), 'utf8'));
  for (const rule of rules) expect((await tend.api('POST', '/api/scoring-rules', rule)).status).toBe(201);
  const imported = await tend.api('POST', '/api/flows/import', template('ready-for-sales'));
  programId = imported.body.id;
  expect((await tend.api('POST', `/api/flows/${programId}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];
const send = async (email: string, type: string, n = 1, properties: Record<string, unknown> = {}) => {
  await tend.api('POST', '/api/events/batch', { events: Array.from({ length: n }, () => ({ type, email, properties })) });
};
const entries = async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.nodes.hot.entered as number;
const mailFor = (lead: string) => tend.mailbox.messages.filter((m) => m.subject?.startsWith(`Ready for sales: ${lead}`)).map((m) => (m.to as { text: string }).text);

test('hot leads go to sales once, in turn or to their own owner; cold ones do not', async () => {
  await tend.api('PUT', '/api/contacts', { email: 'own@example.com', attributes: { owner: 'cat@sales.example' } });
  // 4 pricing views (4 × 6) + 2 webinars (20) + 2 guides (6) = 50.
  for (const lead of ['first@example.com', 'second@example.com', 'own@example.com']) {
    await send(lead, 'page_view', 4, { path: '/pricing' });
    await send(lead, 'webinar_attended', 2);
    await send(lead, 'guide_downloaded', 2);
    await tend.until(async () => (await contact(lead))?.score === 50, `${lead} at 50`);
    await tend.until(async () => mailFor(lead).length === 1, `${lead} handed over`);
  }
  // 25 blog views: capped at 20 points a day.
  await send('cold@example.com', 'page_view', 25, { path: '/blog' });
  await tend.until(async () => (await contact('cold@example.com'))?.score === 20, 'the cold lead at the cap');

  expect(mailFor('first@example.com')).toEqual(['ann@sales.example']);
  expect(mailFor('second@example.com')).toEqual(['ben@sales.example']);
  expect(mailFor('own@example.com')).toEqual(['cat@sales.example']);
  expect(mailFor('cold@example.com')).toEqual([]);
  expect((await contact('first@example.com')).attributes).toMatchObject({ stage: 'MQL', owner: 'ann@sales.example' });
  expect((await contact('cold@example.com')).attributes.stage).toBeUndefined();

  // Unsubscribing costs 40 points; climbing back over 50 within 30 days hands nobody over again.
  await send('first@example.com', 'unsubscribed');
  await tend.until(async () => (await contact('first@example.com')).score === 10, 'the drop');
  await send('first@example.com', 'page_view', 7, { path: '/pricing' });
  await tend.until(async () => (await contact('first@example.com')).score === 52, 'the climb back');
  await new Promise((r) => setTimeout(r, 1500));
  expect(await entries()).toBe(3);
  expect(mailFor('first@example.com')).toEqual(['ann@sales.example']);
});
