-- Single sign-on (OpenID Connect): a sign-in on its way through the provider (its state,
-- nonce and PKCE verifier, for ten minutes), and which provider account a person is.
CREATE TABLE oidc_logins (
  state text PRIMARY KEY,
  nonce text NOT NULL,
  verifier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE users ADD COLUMN sso_subject text UNIQUE;
