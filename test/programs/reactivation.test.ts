// Program 3, old-lead reactivation, with seconds for days: yes brings the lead back
// (stage lead, which a nurture program picks up), no thanks unsubscribes, silence asks
// again a bounded number of times and then tags the lead dormant.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const doc = JSON.parse(JSON.stringify(template('reactivation', {
    quiet: { offset: '2 seconds', atLocalTime: undefined },
    answer: { timeout: '4 seconds' },
    later: { duration: '1 second' },
    rounds: { times: 1 },
  })));
  const imported = await tend.api('POST', '/api/flows/import', doc);
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Nurture',
    nodes: [
      { id: 'back', type: 'tend.trigger.stage-changed', version: 1, config: { to: 'lead' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Welcome back: here is what is new', html: '<p>…</p>' } },
    ],
    edges: [{ id: 'e1', source: 'back', sourcePort: 'next', target: 'mail' }],
  });
});
afterAll(async () => { await tend?.stop(); });

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];

test('yes, no thanks, and silence', async () => {
  const lastSeen = new Date().toISOString();
  for (const email of ['yes@example.com', 'no@example.com', 'silent@example.com']) {
    await tend.api('PUT', '/api/contacts', { email, attributes: { last_activity_at: lastSeen, first_name: email.split('@')[0] } });
  }
  await tend.until(async () => to('yes@example.com').length === 1 && to('no@example.com').length === 1, 'the first asks', 20000);
  // The branch reads the answer from the event that ended the wait (`received`).
  await tend.event({ type: 'reactivation_answered', email: 'yes@example.com', properties: { answer: 'yes' } });
  await tend.event({ type: 'reactivation_answered', email: 'no@example.com', properties: { answer: 'no' } });
  await tend.until(async () => (await contact('silent@example.com')).tags.includes('dormant'), 'the silent lead to go dormant', 30000);

  await tend.until(async () => to('yes@example.com').length === 2, 'the nurture welcome');
  expect(to('yes@example.com')).toEqual(['Still interested, yes?', 'Welcome back: here is what is new']);
  expect((await contact('yes@example.com')).attributes.stage).toBe('lead');
  expect(to('no@example.com')).toEqual(['Still interested, no?']);
  expect((await contact('no@example.com')).consent).toEqual({ email: false });
  expect(to('silent@example.com')).toEqual(['Still interested, silent?', 'Still interested, silent?']);
});
