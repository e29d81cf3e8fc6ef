-- Scoped API keys (issue #6): admin, write, read. Only the SHA-256 of a key is kept;
-- `prefix` (its first characters) tells keys apart in lists. The TEND_API_KEY admin key
-- of the settings table stays valid beside these.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('admin', 'write', 'read')),
  key_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
