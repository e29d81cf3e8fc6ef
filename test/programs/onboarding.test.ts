// Program 4, welcome and onboarding, from its template with second-scale waits: the
// escalation runs its course for a contact who never activates (email, incentive, SMS,
// call task) and stops at once for one who does; marketing steps respect opt-outs.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { template } from '../support/templates.js';

let tend: Tend;
let sms: Receiver;
beforeAll(async () => {
  sms = await startReceiver();
  sms.respond = () => ({ status: 201, body: { sid: 'SM1' } });
  tend = await startTend({ env: { TEND_SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15550000000', TWILIO_API_URL: sms.url } });
  const short = { timeout: '2 seconds' };
  const imported = await tend.api('POST', '/api/flows/import', template('onboarding', { wait1: { timeout: '4 seconds' }, wait2: short, wait3: short }));
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => {
  await tend?.stop();
  await sms?.close();
});

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('never activated: every step of the escalation; activated: stops at once; opted out: only the transactional welcome', async () => {
  await tend.api('PUT', '/api/contacts', { email: 'idle@example.com', phone: '+15552220000', consent: { sms: true }, attributes: { first_name: 'Ida' } });
  await tend.api('PUT', '/api/contacts', { email: 'optout@example.com', consent: { email: false } });
  for (const email of ['idle@example.com', 'keen@example.com', 'optout@example.com']) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => to('keen@example.com').length === 1, 'the welcome');
  await tend.event({ type: 'activated', email: 'keen@example.com' });

  await tend.until(async () => tend.mailbox.messages.some((m) => m.subject?.startsWith('Call idle@')), 'the call task', 30000);
  await new Promise((r) => setTimeout(r, 2500));
  expect(to('idle@example.com')).toEqual(['Welcome, Ida', 'A month free when you set up your first project']);
  expect(to('onboarding@team.example').sort()).toEqual(['Call idle@example.com: not activated after 5 days', 'Call optout@example.com: not activated after 5 days']);
  expect(sms.requests.map((r) => new URLSearchParams(r.body).get('To'))).toEqual(['+15552220000']);
  expect(to('keen@example.com')).toEqual(['Welcome, friend']);
  expect(to('optout@example.com')).toEqual(['Welcome, friend']);
});
