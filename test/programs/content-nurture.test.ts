// Program 1, content nurture, with seconds for days: a click on the guide brings deeper
// content, no click a resend; a pricing view then makes a sales task; a demo request
// ends the run wherever it is.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const imported = await tend.api('POST', '/api/flows/import', template('content-nurture', { clicked: { timeout: '4 seconds' }, pricing: { timeout: '4 seconds' } }));
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
const guideLink = (email: string) => {
  const mail = tend.mailbox.messages.find((m) => (m.to as { text: string }).text === email && m.subject?.startsWith('Your guide'))!;
  return /href="([^"]+\/c\/[^"]+)"/.exec(String(mail.html))![1]!;
};

test('click → deeper content → pricing → task; no click → resend; demo request → out', async () => {
  const download = (email: string) => tend.event({ type: 'guide_downloaded', email, properties: { title: 'The Automation Playbook', topic: 'automation', url: 'https://example.com/playbook.pdf' } });
  for (const email of ['reader@example.com', 'skimmer@example.com', 'demo@example.com']) await download(email);
  await tend.until(async () => to('reader@example.com').length === 1 && to('demo@example.com').length === 1, 'the guides');

  const landed = await fetch(guideLink('reader@example.com'), { redirect: 'manual' });
  expect(landed.headers.get('location')).toBe('https://example.com/playbook.pdf');
  await tend.event({ type: 'demo_requested', email: 'demo@example.com' });
  await tend.until(async () => to('reader@example.com').length === 2, 'the deeper content');
  await tend.event({ type: 'page_view', email: 'reader@example.com', properties: { path: '/pricing/teams' } });
  await tend.until(async () => to('sales@team.example').length === 1, 'the sales task', 20000);
  await tend.until(async () => to('skimmer@example.com').length === 2, 'the resend', 20000);
  await new Promise((r) => setTimeout(r, 5000));

  expect(to('reader@example.com')).toEqual(['Your guide: The Automation Playbook', 'Going further with automation']);
  expect(to('skimmer@example.com')).toEqual(['Your guide: The Automation Playbook', 'Did you get a chance to read The Automation Playbook?']);
  expect(to('demo@example.com')).toEqual(['Your guide: The Automation Playbook']);
  expect(to('sales@team.example')).toEqual(['reader@example.com read about automation and looked at pricing']);
  const scores = await Promise.all(['reader@example.com', 'skimmer@example.com'].map(async (e) => (await tend.api('GET', `/api/contacts?email=${e}`)).body.contacts[0].score));
  expect(scores).toEqual([10, 10]);
});
