-- People, not only keys (issue #19): user accounts with a role, sessions kept here (a
-- cookie holds a random token; only its SHA-256 is stored), invitations by email, and
-- an append-only audit log of changes made through the API.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'marketer', 'viewer')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz
);
-- One owner at most.
CREATE UNIQUE INDEX users_one_owner ON users ((true)) WHERE role = 'owner';

CREATE TABLE user_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

CREATE TABLE user_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'marketer', 'viewer')),
  token_hash text NOT NULL UNIQUE,
  invited_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'key', 'system')),
  actor_id text,
  actor_name text NOT NULL,
  action text NOT NULL,
  target_kind text,
  target_id text,
  detail jsonb NOT NULL DEFAULT '{}',
  ip text
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
-- Which contact an entry is about (an export, say) lives beside the entry, not in it:
-- erasing the contact deletes this link, and the entry keeps who did what, when, to a
-- contact no longer named (erasure leaves nothing that points at the person).
CREATE TABLE audit_contacts (
  audit_id bigint NOT NULL REFERENCES audit_log(id),
  contact_id uuid NOT NULL,
  PRIMARY KEY (audit_id, contact_id)
);
CREATE INDEX audit_contacts_contact ON audit_contacts (contact_id);
-- Append-only: nothing in the product edits or deletes an entry, and the database refuses it too.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- A forgotten password: a link by email (its token kept hashed), once, within an hour.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
