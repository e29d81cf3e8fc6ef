// Single sign-on with OpenID Connect (openid-client): the authorization code flow with
// PKCE, state and nonce (kept in oidc_logins for ten minutes), the person's email, name
// and role read from the provider's userinfo, and their account found or made with that
// role. Configured by TEND_OIDC_* (engine/ops/config.ts); the provider is the one that says
// who people are and which role they have.
import * as client from 'openid-client';
import type { OidcConfig } from '../ops/config.js';
import type { Db } from '../storage/db.js';
import { forgetLoginsBefore, storeLogin, takeLogin } from '../storage/oidc-logins.js';
import { EngineProblem } from '../ops/errors.js';
import { INVITABLE_ROLES, ssoUser, type User } from './people.js';

const PENDING_MS = 10 * 60_000;

export interface SingleSignOn {
  name: string;
  /** Where to send the browser to sign in; `redirectUri` is Tend's callback. */
  start(redirectUri: string): Promise<URL>;
  /** The callback: the person signed in, found or made with the role their claim maps to. */
  finish(callbackUrl: URL): Promise<User>;
}

export function createSingleSignOn(db: Db, config: OidcConfig): SingleSignOn {
  let discovered: Promise<client.Configuration> | undefined;
  const provider = () => {
    // Plain http only for a provider on this machine (tests, a local dev provider).
    const local = /^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(config.issuer);
    discovered ??= client.discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, local ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((err: unknown) => { discovered = undefined; throw new EngineProblem('unavailable', 'The sign-on provider did not answer', [{ path: '/', message: String((err as Error).message) }], { cause: err }); });
    return discovered;
  };
  const roleOf = (claims: Record<string, unknown>): (typeof INVITABLE_ROLES)[number] | undefined => {
    const raw = claims[config.roleClaim];
    const values = Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)];
    const mapped = values.map((v) => config.roles[v] ?? v).filter((r): r is (typeof INVITABLE_ROLES)[number] => (INVITABLE_ROLES as readonly string[]).includes(r));
    // The widest role any of the person's values gives.
    for (const r of INVITABLE_ROLES) if (mapped.includes(r)) return r;
    return (INVITABLE_ROLES as readonly string[]).includes(config.defaultRole ?? '') ? config.defaultRole as (typeof INVITABLE_ROLES)[number] : undefined;
  };

  return {
    name: config.name,
    async start(redirectUri) {
      const p = await provider();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      await forgetLoginsBefore(db, new Date(Date.now() - PENDING_MS));
      await storeLogin(db, state, nonce, verifier);
      return client.buildAuthorizationUrl(p, {
        redirect_uri: redirectUri, scope: 'openid email profile', state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
    },
    async finish(callbackUrl) {
      const p = await provider();
      const state = callbackUrl.searchParams.get('state') ?? '';
      const pending = await takeLogin(db, state, new Date(Date.now() - PENDING_MS));
      if (!pending) throw new EngineProblem('invalid', 'Sign-on expired', [{ path: '/state', message: 'this sign-in was not started here, or took longer than ten minutes: start again' }]);
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(p, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: state, expectedNonce: pending.nonce });
        const sub = tokens.claims()?.sub ?? '';
        claims = { ...(tokens.claims() ?? {}), ...(await client.fetchUserInfo(p, tokens.access_token, sub)) };
      } catch (err) {
        throw new EngineProblem('invalid', 'Sign-on refused', [{ path: '/code', message: (err as Error).message }], { cause: err });
      }
      const email = typeof claims.email === 'string' ? claims.email : '';
      if (!email || claims.email_verified === false) throw new EngineProblem('invalid', 'Sign-on refused', [{ path: '/email', message: 'the provider gave no verified email for this person' }]);
      const role = roleOf(claims);
      if (!role) throw new EngineProblem('invalid', 'No role for this person', [{ path: `/${config.roleClaim}`, message: `the provider's ${config.roleClaim} claim names no Tend role, and TEND_OIDC_DEFAULT_ROLE is not set` }]);
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
      return ssoUser(db, { subject: String(claims.sub), email, name, role });
    },
  };
}
