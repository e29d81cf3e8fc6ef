// Analytics per step (issue #13 point 9) in Chromium. A published program: sign-up →
// welcome email → wait for `activated` (nothing after it). Four contacts enter; two open
// the email, one clicks its link, one unsubscribes by one-click, one is activated (its
// run ends at the wait). Each node on the canvas shows entered / waiting / exited, the
// email node sent / opened / clicked / unsubscribed with rates; selecting a node shows
// the same figures and a chart of them per day. Every figure on screen is checked
// against the database's own count.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const rate = (n: number, sent: number) => (sent > 0 ? `${Math.round((n / sent) * 1000) / 10}%` : '—');

test('a published program shows each step\'s figures on its node and over time in the inspector', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Step analytics',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome', html: '<p><a href="https://example.com/start">Start here</a></p>' } },
      { id: 'wait', type: 'tend.wait.event', version: 1, config: { eventType: 'activated', timeout: '1 hour' } },
    ],
    edges: [
      { id: 'e0', source: 'signup', sourcePort: 'next', target: 'welcome' },
      { id: 'e1', source: 'welcome', sourcePort: 'next', target: 'wait' },
    ],
  });
  const people = ['ann', 'ben', 'cat', 'dan'].map((n) => `${n}@example.com`);
  for (const email of people) await tend.event({ type: 'signed_up', email });
  await tend.mailbox.waitFor(people.length, 60_000);
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.nodes.wait?.waiting === people.length, 'everyone waiting', 60_000);
  const html = (email: string) => String(tend.mailbox.messages.find((m) => (m.to as { text: string }).text === email)!.html);
  for (const email of people.slice(0, 2)) expect((await fetch(/<img src="([^"]+\/o\/[^"]+)"/.exec(html(email))![1]!)).status).toBe(200);
  expect((await fetch(/href="([^"]+\/c\/[^"]+)"/.exec(html(people[0]!))![1]!, { redirect: 'manual' })).status).toBe(302);
  const unsubscribe = /href="([^"]+\/unsubscribe\/[^"]+)"/.exec(html(people[2]!))![1]!;
  expect((await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
  await tend.event({ type: 'activated', email: people[3] });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.enrollments.completed === 1, 'one run ended at the wait', 60_000);

  // The database's figures.
  const [visits] = await tend.sql(`SELECT
      count(*) FILTER (WHERE node_id = 'welcome')::int AS welcome_in,
      count(*) FILTER (WHERE node_id = 'wait')::int AS wait_in,
      count(*) FILTER (WHERE node_id = 'wait' AND status = 'waiting')::int AS wait_waiting
    FROM node_visits WHERE program_id = $1`, [programId]);
  const [ended] = await tend.sql("SELECT count(*) FILTER (WHERE current_node = 'wait')::int AS wait, count(*) FILTER (WHERE current_node = 'welcome')::int AS welcome FROM enrollments WHERE program_id = $1 AND status <> 'active'", [programId]);
  const [mail] = await tend.sql(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(first_opened_at)::int AS opened, count(first_clicked_at)::int AS clicked
    FROM messages WHERE program_id = $1 AND node_id = 'welcome'`, [programId]);
  const [{ unsubscribed }] = await tend.sql("SELECT count(*)::int AS unsubscribed FROM events WHERE type = 'tend.unsubscribed'");
  expect({ ...visits, ended, ...mail, unsubscribed }).toEqual({ welcome_in: 4, wait_in: 4, wait_waiting: 3, ended: { wait: 1, welcome: 0 }, sent: 4, opened: 2, clicked: 1, unsubscribed: 1 });

  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${programId}`);
  const welcome = canvasNode(page, 'welcome');
  const messageCounts = welcome.getByTestId('node-message-counts');
  await messageCounts.filter({ hasText: `${mail.sent} sent` }).waitFor({ timeout: 20_000 });
  expect(await messageCounts.locator('span').allTextContents()).toEqual([
    `${mail.sent} sent`,
    `${mail.opened} opened · ${rate(mail.opened, mail.sent)}`,
    `${mail.clicked} clicked · ${rate(mail.clicked, mail.sent)}`,
    `${unsubscribed} unsub. · ${rate(unsubscribed, mail.sent)}`,
  ]);
  expect(await messageCounts.locator('span').allTextContents()).toEqual(['4 sent', '2 opened · 50%', '1 clicked · 25%', '1 unsub. · 25%']);
  expect(await welcome.getByTestId('node-flow-counts').locator('span').allTextContents()).toEqual([`${visits.welcome_in} in`, '0 waiting', `${ended.welcome} exited`]);
  expect(await canvasNode(page, 'wait').getByTestId('node-flow-counts').locator('span').allTextContents()).toEqual([`${visits.wait_in} in`, `${visits.wait_waiting} waiting`, `${ended.wait} exited`]);
  expect(await canvasNode(page, 'wait').getByTestId('node-message-counts').count()).toBe(0);

  // Selecting the email node: its figures and the chart, today's point holding them.
  await welcome.click();
  const inspector = page.getByTestId('inspector-node');
  const figure = (name: string) => inspector.getByTestId(`figure-${name}`);
  await figure('sent').waitFor();
  expect(await figure('entered').textContent()).toBe(String(visits.welcome_in));
  expect(await figure('waiting').textContent()).toBe('0');
  expect(await figure('exited').textContent()).toBe(String(ended.welcome));
  expect(await figure('sent').textContent()).toBe(String(mail.sent));
  expect(await figure('opened').textContent()).toBe(`${mail.opened} ${rate(mail.opened, mail.sent)}`);
  expect(await figure('clicked').textContent()).toBe(`${mail.clicked} ${rate(mail.clicked, mail.sent)}`);
  expect(await figure('unsubscribed').textContent()).toBe(`${unsubscribed} ${rate(unsubscribed, mail.sent)}`);
  const chart = inspector.getByTestId('chart-node-trend');
  await chart.waitFor();
  expect(await chart.getAttribute('data-points')).toBe('30');
  expect(JSON.parse((await chart.getAttribute('data-totals'))!)).toEqual({ entered: visits.welcome_in, exited: ended.welcome, sent: mail.sent, opened: mail.opened, clicked: mail.clicked, unsubscribed });
  await expect.poll(() => chart.locator('.recharts-line').count()).toBe(6);
  expect((await chart.locator('.recharts-legend-item-text').allTextContents()).sort()).toEqual(['Clicked', 'Entered', 'Exited here', 'Opened', 'Sent', 'Unsubscribed']);
  // What the chart draws comes from the endpoint; its last day (today, UTC) holds everything.
  const series = (await tend.api('GET', `/api/flows/${programId}/nodes/welcome/analytics?days=30`)).body.series as { day: string; sent: number }[];
  expect(series.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10), entered: 4, sent: 4, opened: 2, clicked: 1, unsubscribed: 1 });
  await s.screenshot('step-analytics-email');

  // The wait node: flow figures and two lines.
  await canvasNode(page, 'wait').click();
  await page.locator('[data-testid=inspector-node][data-node=wait]').waitFor();
  expect(await figure('waiting').textContent()).toBe(String(visits.wait_waiting));
  expect(await figure('exited').textContent()).toBe(String(ended.wait));
  await expect.poll(() => inspector.getByTestId('chart-node-trend').locator('.recharts-line').count()).toBe(2);
  await s.screenshot('step-analytics-wait');

  // The endpoint refuses a node the program does not have.
  expect((await tend.api('GET', `/api/flows/${programId}/nodes/nope/analytics`)).status).toBe(404);
  expectNoBrowserErrors(s);
}, 180_000);
