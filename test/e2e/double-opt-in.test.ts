// Double opt-in, as a visitor lives it in Chromium: a marketer ticks "Double opt-in" in
// the form builder; a visitor signs up on the hosted page and is not marketable yet (a
// program on form_submitted skips its marketing email for want of consent); the
// confirmation email arrives; its link opens a page that changes nothing until the
// button is pressed; then consent is given, `email_confirmed` starts the welcome
// program, and the welcome email arrives. Clicking the link again changes nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('sign up, confirm by the emailed link, get the welcome; nothing marketing before', async () => {
  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/forms/new`);
  const form = page.getByRole('region', { name: 'Form' });
  await form.getByLabel('Name', { exact: true }).fill('Newsletter');
  await form.getByLabel('Double opt-in', { exact: false }).check();
  await page.getByTestId('save-form').click();
  await expect.poll(() => page.url()).toMatch(/\/forms\/[0-9a-f-]{36}$/);
  const formId = /\/forms\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  expect((await tend.api('GET', `/api/forms/${formId}`)).body.doubleOptIn).toBe(true);

  const mail = (subject: string, eventType: string, marketing: boolean) => ({
    format: 'tend.flow/v1', name: subject,
    nodes: [
      { id: 'on', type: 'tend.trigger.event', version: 1, config: { eventType } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject, html: '<p>Hello</p>', marketing } },
    ],
    edges: [{ id: 'e1', source: 'on', sourcePort: 'next', target: 'mail' }],
  });
  const promo = await tend.publish(mail('Our best offer', 'form_submitted', true));
  await tend.publish(mail('Welcome aboard', 'email_confirmed', true));

  const visitor = await page.context().newPage();
  await visitor.goto(`${tend.url}/f/${formId}`);
  await visitor.getByLabel('Email').fill('new.reader@example.com');
  await visitor.getByRole('button', { name: 'Sign up' }).click();
  await visitor.getByText('Thank you!').waitFor();

  // Not marketable yet: the promotion is skipped for want of consent; the confirmation goes.
  const contact = async () => (await tend.api('GET', '/api/contacts?email=new.reader@example.com')).body.contacts[0];
  await tend.until(async () => (await tend.sql("SELECT 1 FROM messages WHERE program_id = $1 AND status = 'skipped'", [promo])).length === 1, 'the promotion skipped');
  expect((await contact()).consent.email).toBe(false);
  await tend.until(async () => tend.mailbox.messages.some((m) => m.subject === 'Please confirm your subscription'), 'the confirmation email');
  const confirmation = tend.mailbox.messages.find((m) => m.subject === 'Please confirm your subscription')!;
  const link = /href="([^"]+\/confirm\/[^"]+)"/.exec(String(confirmation.html))![1]!;

  // Opening the link changes nothing (link scanners open links); the button confirms.
  await visitor.goto(link);
  await visitor.getByRole('heading', { name: 'One more step' }).waitFor();
  expect((await contact()).consent.email).toBe(false);
  await visitor.getByRole('button', { name: 'Yes, subscribe me' }).click();
  await visitor.getByRole('heading', { name: 'Thank you' }).waitFor();
  await visitor.screenshot({ path: 'test/artifacts/double-opt-in-confirmed.png' });
  expect((await contact()).consent.email).toBe(true);
  await tend.until(async () => tend.mailbox.messages.some((m) => m.subject === 'Welcome aboard'), 'the welcome email');
  expect(tend.mailbox.messages.filter((m) => m.subject === 'Our best offer')).toHaveLength(0);

  // Again: still subscribed, no second email_confirmed.
  await visitor.goto(link);
  await visitor.getByRole('button', { name: 'Yes, subscribe me' }).click();
  await visitor.getByRole('heading', { name: 'Thank you' }).waitFor();
  expect((await tend.sql("SELECT count(*)::int AS n FROM events WHERE type = 'email_confirmed'"))[0].n).toBe(1);
  // A forged link is refused.
  expect((await fetch(link.replace(/\.[^.]+$/, '.forged'), { method: 'POST' })).status).toBe(404);

  // Someone types an existing customer's address into the form: their consent stays as it
  // was (marketable under the opt-out policy), and no confirmation is sent to them.
  const customer = (await tend.api('PUT', '/api/contacts', { email: 'long.time@example.com' })).body.id as string;
  await visitor.goto(`${tend.url}/f/${formId}`);
  await visitor.getByLabel('Email').fill('long.time@example.com');
  await visitor.getByRole('button', { name: 'Sign up' }).click();
  await visitor.getByText('Thank you!').waitFor();
  await tend.until(async () => (await tend.sql("SELECT 1 FROM events WHERE type = 'form_submitted' AND contact_id = $1", [customer])).length === 1, 'the submission');
  expect((await tend.api('GET', `/api/contacts/${customer}`)).body.consent.email).toBeUndefined();
  await new Promise((r) => setTimeout(r, 500));
  expect(tend.mailbox.messages.filter((m) => m.subject === 'Please confirm your subscription')).toHaveLength(1);
  await visitor.close();
  expectNoBrowserErrors(s);
});
