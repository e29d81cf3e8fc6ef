// Date-property triggers: renewal reminders before a contract date and yearly
// birthdays; a changed date moves the due time; nothing fires early or twice.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const program = (name: string, config: Record<string, unknown>, subject: string) => ({
  format: 'tend.flow/v1',
  name,
  settings: { reentry: 'afterExit' },
  nodes: [
    { id: 'when', type: 'tend.trigger.date-property', version: 1, config },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject, html: '<p>!</p>' } },
  ],
  edges: [{ id: 'e1', source: 'when', sourcePort: 'next', target: 'mail' }],
});
const to = (m: { to?: unknown }) => (m.to as { text: string }).text;

test('renewals fire before the date, re-planned when the date changes; birthdays come back every year', async () => {
  // Known before the program exists: picked up when it is published.
  await tend.api('PUT', '/api/contacts', { email: 'early@example.com', attributes: { renewal_date: inSeconds(6) } });
  await tend.api('PUT', '/api/contacts', { email: 'past@example.com', attributes: { renewal_date: '2020-01-01T00:00:00Z' } });
  await tend.publish(program('Renewal', { field: 'attributes.renewal_date', offset: '-3 seconds' }, 'Your contract renews soon'));
  await tend.publish(program('Birthday', { field: 'attributes.birthday', yearly: true }, 'Happy birthday'));
  await tend.until(async () => Number((await db.query('SELECT count(*) FROM date_schedules_known')).rows[0].count) === 2, 'the schedules to be known');

  // Known after: planned when their date is set or changed.
  await tend.api('PUT', '/api/contacts', { email: 'later@example.com', attributes: { renewal_date: inSeconds(5) } });
  await tend.api('PUT', '/api/contacts', { email: 'moved@example.com', attributes: { renewal_date: inSeconds(4) } });
  await tend.api('PUT', '/api/contacts', { email: 'moved@example.com', attributes: { renewal_date: inSeconds(3600) } });
  const birthday = new Date(Date.now() + 4000);
  birthday.setUTCFullYear(1990);
  await tend.api('PUT', '/api/contacts', { email: 'born@example.com', attributes: { birthday: birthday.toISOString() } });

  const mails = await tend.mailbox.waitFor(3, 30000);
  await new Promise((r) => setTimeout(r, 2500));
  expect(tend.mailbox.messages.map((m) => `${to(m)}: ${m.subject}`).sort()).toEqual([
    'born@example.com: Happy birthday',
    'early@example.com: Your contract renews soon',
    'later@example.com: Your contract renews soon',
  ]);
  expect(mails).toHaveLength(3);

  const plans = (await db.query('SELECT c.email, d.fire_at FROM date_schedule d JOIN contacts c ON c.id = d.contact_id ORDER BY c.email')).rows;
  expect(plans.map((p) => p.email)).toEqual(['born@example.com', 'moved@example.com']);
  const nextBirthday = plans[0].fire_at as Date;
  expect(nextBirthday.getUTCFullYear()).toBe(new Date().getUTCFullYear() + 1);
  expect(nextBirthday.toISOString().slice(4)).toBe(birthday.toISOString().slice(4));
  expect(Math.abs((plans[1].fire_at as Date).getTime() - (Date.now() + 3600_000))).toBeLessThan(120_000);
});
