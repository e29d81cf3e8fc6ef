// Single sign-on against a real OpenID Connect provider (oidc-provider, started here on
// its own port, with its development login and consent pages): a person clicks "Sign in
// with Acme SSO", signs in at the provider, and lands in the editor signed in with the
// role their claim maps to (TEND_OIDC_ROLES). A person whose claim maps to no role is
// sent back to the sign-in page with the reason.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { freePort } from '../../engine/stack/ports.js';
import { openBrowser, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
let provider: Server;

/** The provider's people: their email, name and the groups claim Tend maps to a role. */
const PEOPLE: Record<string, { email: string; name: string; groups: string[] }> = {
  mia: { email: 'mia@acme.example', name: 'Mia Marketing', groups: ['staff', 'growth-team'] },
  otto: { email: 'otto@acme.example', name: 'Otto Outsider', groups: ['contractors'] },
};

beforeAll(async () => {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  [tend, s] = await Promise.all([
    startTend({ worker: false, env: { TEND_OIDC_ISSUER: issuer, TEND_OIDC_CLIENT_ID: 'tend', TEND_OIDC_CLIENT_SECRET: 'a-client-secret-for-tests', TEND_OIDC_NAME: 'Acme SSO', TEND_OIDC_ROLE_CLAIM: 'groups', TEND_OIDC_ROLES: 'growth-team=marketer,it=admin' } }),
    openBrowser(),
  ]);
  // Tend's address is known only now, and the provider must know Tend's callback.
  const oidc = new Provider(issuer, {
    clients: [{ client_id: 'tend', client_secret: 'a-client-secret-for-tests', redirect_uris: [`${tend.url}/api/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    findAccount: async (_ctx, sub) => (PEOPLE[sub] ? { accountId: sub, claims: async () => ({ sub, email: PEOPLE[sub]!.email, email_verified: true, name: PEOPLE[sub]!.name, groups: PEOPLE[sub]!.groups }) } : undefined),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
  });
  provider = oidc.listen(port);
  await new Promise((resolve) => provider.once('listening', resolve).listening && resolve(undefined));
  expect((provider.address() as AddressInfo).port).toBe(port);
});
afterAll(async () => {
  await s?.close();
  await tend?.stop();
  await new Promise((resolve) => provider?.close(resolve));
});

/** The provider's development pages: a login form (any password), then consent. */
async function signInAtProvider(login: string) {
  const { page } = s;
  await page.locator('input[name="login"]').waitFor();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  // Consent, the first time this person meets the client.
  const consent = page.locator('button[type="submit"]', { hasText: /continue/i });
  if (await consent.count()) await consent.click();
}

test('a person signs in through the provider with the role their groups map to; one with no mapped role is turned back', async () => {
  const { page } = s;
  await page.goto(`${tend.url}/`);
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await signInAtProvider('mia');
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
  expect(await page.getByTestId('whoami').textContent()).toBe('Mia Marketing · marketer');
  await s.screenshot('single-sign-on');
  const [mia] = await tend.sql<{ role: string; sso_subject: string; password_hash: string }>("SELECT role, sso_subject, password_hash FROM users WHERE email = 'mia@acme.example'");
  expect(mia).toEqual({ role: 'marketer', sso_subject: 'mia', password_hash: '!single-sign-on' });
  // An account made by sign-on has no password to guess.
  const guess = await fetch(`${tend.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'mia@acme.example', password: '!single-sign-on' }) });
  expect(guess.status).toBe(401);
  const audit = (await tend.api('GET', '/api/audit-log?action=single')).body.entries;
  expect(audit).toEqual([expect.objectContaining({ action: 'signed in with single sign-on', actor: expect.objectContaining({ name: 'mia@acme.example' }), detail: { role: 'marketer' } })]);

  // Otto's groups name no Tend role, and no default role is set: back to the sign-in page, with why.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).waitFor();
  // The provider remembers Mia's login; end it to sign in as Otto.
  await page.goto(`${new URL(tend.url).protocol}//127.0.0.1:${(provider.address() as AddressInfo).port}/session/end`);
  await page.locator('button[type="submit"]', { hasText: /yes/i }).click().catch(() => undefined);
  await page.goto(`${tend.url}/api/auth/oidc/start`);
  await signInAtProvider('otto');
  await page.getByRole('alert').filter({ hasText: 'Single sign-on did not work' }).waitFor();
  expect(await page.getByRole('alert').textContent()).toContain('names no Tend role');
  expect(await tend.sql("SELECT count(*)::int AS n FROM users WHERE email = 'otto@acme.example'")).toEqual([{ n: 0 }]);
});
