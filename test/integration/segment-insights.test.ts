// A segment's size over time (noted after each change and hourly by the dispatcher's
// sweep) and the programs that use it (a trigger on it, a membership condition, in the
// draft or the live version; not a mere mention in an email's words, not archived ones).
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { noteSegmentSizes } from '../../engine/audience/segments/sizes.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const today = () => new Date().toISOString().slice(0, 10);

test('sizes: a point today from the creation, moved by the hourly note, past days kept', async () => {
  await tend.api('PUT', '/api/contacts', { email: 'a@example.com', attributes: { tier: 'vip' } });
  const created = await tend.api('POST', '/api/segments', { key: 'vips', name: 'VIPs', condition: { field: 'contact.attributes.tier', op: 'eq', value: 'vip' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await tend.api('GET', '/api/segments/vips/sizes')).body).toEqual({ segment: 'vips', days: 90, sizes: [{ day: today(), members: 1 }] });

  // Two more VIPs arrive; the sweep's hourly note (forced here: an hour from now) counts them.
  for (const email of ['b@example.com', 'c@example.com']) await tend.api('PUT', '/api/contacts', { email, attributes: { tier: 'vip' } });
  await tend.until(async () => (await tend.api('GET', '/api/segments/vips')).body.members === 3, 'three members');
  const pool = new pg.Pool({ connectionString: tend.databaseUrl });
  try { expect(await noteSegmentSizes(pool, Date.now() + 2 * 3600_000)).toBe(true); } finally { await pool.end(); }
  // A day long past, as an earlier note would have left it; outside ?days=7, inside 90.
  await tend.sql("INSERT INTO segment_sizes (segment_id, day, members) VALUES ($1, (now() AT TIME ZONE 'UTC')::date - 10, 0)", [created.body.id]);
  const sizes = (await tend.api('GET', `/api/segments/${created.body.id}/sizes`)).body.sizes;
  expect(sizes).toHaveLength(2);
  expect(sizes[1]).toEqual({ day: today(), members: 3 });
  expect((await tend.api('GET', '/api/segments/vips/sizes?days=7')).body.sizes).toEqual([{ day: today(), members: 3 }]);
  expect((await tend.api('GET', '/api/segments/vips/sizes?days=0')).status).toBe(400);
  expect((await tend.api('GET', '/api/segments/nope/sizes')).status).toBe(404);
});

test('used by: triggers and conditions in drafts and live versions, with their nodes', async () => {
  const trigger = await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome VIPs',
    nodes: [
      { id: 'entered', type: 'tend.trigger.segment-entered', version: 1, config: { segment: 'vips' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Hi', html: '<p>vips</p>' } },
    ],
    edges: [{ id: 'e1', source: 'entered', sourcePort: 'next', target: 'mail' }],
  });
  const draftOnly = (await tend.api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'Order follow-up',
    nodes: [
      { id: 'order', type: 'tend.trigger.event', version: 1, config: { eventType: 'order_placed' } },
      { id: 'is-vip', type: 'tend.logic.if', version: 1, config: { condition: { all: [{ field: 'contact.segments', op: 'contains', value: 'vips' }] } } },
    ],
    edges: [{ id: 'e1', source: 'order', sourcePort: 'next', target: 'is-vip' }],
  })).body.id as string;
  // Names the key only in words: not a user.
  await tend.api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'Newsletter',
    nodes: [
      { id: 'news', type: 'tend.trigger.event', version: 1, config: { eventType: 'subscribed' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'For our vips', html: '<p>segment vips</p>' } },
    ],
    edges: [{ id: 'e1', source: 'news', sourcePort: 'next', target: 'mail' }],
  });
  const archived = (await tend.api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'Old VIP program',
    nodes: [{ id: 'entered', type: 'tend.trigger.segment-entered', version: 1, config: { segment: 'vips' } }],
    edges: [],
  })).body.id as string;
  expect((await tend.api('POST', `/api/flows/${archived}/archive`)).status).toBe(200);

  const used = (await tend.api('GET', '/api/segments/vips/used-by')).body;
  expect(used).toEqual({
    segment: 'vips',
    programs: [
      { id: draftOnly, name: 'Order follow-up', status: 'draft', draft: ['is-vip'], live: [] },
      { id: trigger, name: 'Welcome VIPs', status: 'live', draft: ['entered'], live: ['entered'] },
    ],
  });
});
