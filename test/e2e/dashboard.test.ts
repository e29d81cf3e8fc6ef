// The dashboard in Chromium after a little real activity: two sign-ups through a live
// program, one email opened. The cards, the two charts (drawn as SVG, today's bar and
// lines present), the live program with its contacts, and "nothing failing".
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('the dashboard shows the day\'s contacts, events, emails and programs', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome', html: '<p>Hi</p>' } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
  });
  for (const email of ['ann@example.com', 'ben@example.com']) await tend.event({ type: 'signed_up', email });
  const [first] = await tend.mailbox.waitFor(2, 30_000);
  expect((await fetch(/<img src="([^"]+\/o\/[^"]+)"/.exec(String(first!.html))![1]!)).status).toBe(200);
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.enrollments.completed === 2, 'two runs');

  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  await page.getByTestId('card-contacts').filter({ hasText: '2' }).filter({ hasText: '2 new this week' }).waitFor();
  await page.getByTestId('card-sent').filter({ hasText: '2' }).waitFor();
  await page.getByTestId('card-opened').filter({ hasText: '50%' }).waitFor();
  // Today's bar in the events chart, and the four lines of the email chart.
  await expect.poll(() => page.getByTestId('chart-events').locator('.recharts-bar-rectangle path').count()).toBeGreaterThanOrEqual(1);
  expect(await page.getByTestId('chart-email').locator('.recharts-line').count()).toBe(4);
  expect((await page.getByTestId('chart-email').locator('.recharts-legend-item-text').allTextContents()).sort()).toEqual(['Clicked', 'Opened', 'Sent', 'Unsubscribed']);
  await page.getByTestId('dash-program').filter({ hasText: 'Welcome' }).filter({ hasText: 'v1' }).waitFor();
  expect(await page.getByTestId('dash-program').locator('td.num').allTextContents()).toEqual(['0', '2', '—']);
  await page.getByTestId('attention').filter({ hasText: 'Nothing failing' }).waitFor();
  // Another period asks the server again.
  await page.getByLabel('Period').selectOption({ label: 'Last 30 days' });
  await expect.poll(() => page.getByTestId('chart-events').locator('.recharts-xAxis .recharts-cartesian-axis-tick').count()).toBeGreaterThan(7);
  await s.screenshot('dashboard');
  await page.getByRole('link', { name: 'Welcome' }).click();
  await page.getByTestId('program-name').filter({ hasText: 'Welcome' }).waitFor();
  expectNoBrowserErrors(s);
});
