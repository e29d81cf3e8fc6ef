// Send-time optimisation through a real Tend: "newsletter ready → wait for the best
// time (within a day) → email". Contacts with different histories of opens and clicks
// wait for different hours — each their own, in their own zone — and one whose best
// hour is now gets the email at once; a contact with no history waits for everyone's
// hour. Wake-up times are read from the runs' waits as Tend stored them.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import type { ParsedMail } from 'mailparser';
import { forgetPopulationHour } from '../../engine/audience/send-time.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const DAY = 86_400_000;
const to = (m: ParsedMail) => (m.to && 'text' in m.to ? m.to.text : '');
/** An instant `daysAgo` days back at `hour`:`minute` local time in `zone` (by probing the hour, not by arithmetic on offsets). */
function localInstant(daysAgo: number, hour: number, zone: string, minute = 15): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: zone });
  const base = new Date(Date.now() - daysAgo * DAY);
  base.setUTCMinutes(minute, 0, 0);
  for (let shift = 0; shift < 24; shift++) {
    const t = new Date(base.getTime() + shift * 3_600_000);
    if (Number(fmt.format(t)) === hour) return t.toISOString();
  }
  throw new Error('no such hour');
}

test('each contact waits for their own best hour, in their zone; the one whose hour is now gets the email at once', async () => {
  // Not across the turn of an hour: the "now" contact's hour must still be now when its run starts.
  while (new Date().getUTCMinutes() === 59) await new Promise((r) => setTimeout(r, 5000));
  const nowHour = new Date().getUTCHours();
  // Hours that are not now in their zones, whenever the test runs (fixed ones, 07:00 in
  // Berlin and 20:00 in New York, made it fail for an hour a day: "new" has "night"'s
  // hour, in UTC, and at 20:xx UTC that was now).
  const localHourNow = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: zone }).format(new Date()));
  const earlyHour = (localHourNow('Europe/Berlin') + 3) % 24;
  let nightHour = (localHourNow('America/New_York') + 6) % 24;
  if (nightHour === nowHour || nightHour === earlyHour) nightHour = (nightHour + 2) % 24;
  const contacts = {
    'early@example.com': { zone: 'Europe/Berlin', hour: earlyHour, opens: 3 },
    'night@example.com': { zone: 'America/New_York', hour: nightHour, opens: 7 },
    'now@example.com': { zone: 'UTC', hour: nowHour, opens: 3 },
  };
  for (const [email, c] of Object.entries(contacts)) {
    await tend.api('PUT', '/api/contacts', { email, timezone: c.zone });
    for (let i = 0; i < c.opens; i++) {
      const type = i === 0 ? 'email_clicked' : 'email_opened';
      await tend.event({ type, email, occurredAt: localInstant(2 + i, c.hour, c.zone), properties: { messageId: `m${i}` } });
    }
    // A stray open at another hour changes nothing.
    await tend.event({ type: 'email_opened', email, occurredAt: localInstant(9, (c.hour + 5) % 24, c.zone) });
  }
  await tend.api('PUT', '/api/contacts', { email: 'new@example.com' }); // no history, no zone (UTC)
  forgetPopulationHour();

  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Newsletter at the best time',
    nodes: [
      { id: 'ready', type: 'tend.trigger.event', version: 1, config: { eventType: 'newsletter_ready' } },
      { id: 'best', type: 'tend.wait.best-time', version: 1, config: { within: '24 hours' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'This week', html: '<p>News</p>' } },
    ],
    edges: [{ id: 'e1', source: 'ready', sourcePort: 'next', target: 'best' }, { id: 'e2', source: 'best', sourcePort: 'next', target: 'mail' }],
  });
  for (const email of [...Object.keys(contacts), 'new@example.com']) await tend.event({ type: 'newsletter_ready', email });

  // The contact whose hour is now: the email, now.
  await tend.until(async () => tend.mailbox.messages.some((m) => to(m) === 'now@example.com'), 'the email of the contact whose best hour is now');
  // The others wait, each until their hour, as Tend stored it.
  const wakes = async () => Object.fromEntries((await tend.sql<{ email: string; wake_at: Date | null }>(
    `SELECT c.email, v.wake_at FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id JOIN contacts c ON c.id = e.contact_id
     WHERE v.program_id = $1 AND v.node_id = 'best' AND v.status = 'waiting'`, [program],
  )).map((r) => [r.email, r.wake_at]));
  await tend.until(async () => Object.keys(await wakes()).length === 3, 'three runs waiting');
  const waiting = await wakes();
  const hourIn = (at: Date, zone: string) => Number(new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: zone }).format(at));
  expect(hourIn(waiting['early@example.com']!, 'Europe/Berlin')).toBe(earlyHour);
  expect(hourIn(waiting['night@example.com']!, 'America/New_York')).toBe(nightHour);
  // No history: everyone's hour — "night"'s (seven opens, in their zone, outnumber the others) — in UTC, the zone of a contact without one.
  expect(hourIn(waiting['new@example.com']!, 'UTC')).toBe(nightHour);
  for (const at of Object.values(waiting)) {
    expect(at!.getUTCMinutes()).toBe(0);
    expect(at!.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
    expect(at!.getTime()).toBeGreaterThan(Date.now());
  }
  expect(tend.mailbox.messages.filter((m) => m.subject === 'This week').map(to)).toEqual(['now@example.com']);
});
