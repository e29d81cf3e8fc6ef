-- Website tracking and identity: public site keys that may only write tracking events,
-- the identities (anonymous browser ids) that name contacts, and merges of an
-- anonymous contact into the known one when a visitor identifies.

-- Only the SHA-256 of a key is kept; `prefix` lets people tell keys apart in lists.
CREATE TABLE site_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  -- The site's host names: links to them from tracked emails carry a short-lived signed
  -- contact token, so the click identifies the browser.
  domains text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- kind + value → contact: `anonymous` ids from the tracking cookie (other kinds later).
CREATE TABLE contact_identities (
  kind text NOT NULL,
  value text NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, value)
);
CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

-- A merged contact stays (its id may be named by old links and enrollments) and points
-- at the contact that absorbed it.
ALTER TABLE contacts ADD COLUMN merged_into uuid REFERENCES contacts(id);
ALTER TABLE contacts ADD COLUMN merged_at timestamptz;

CREATE TABLE contact_merges (
  id bigserial PRIMARY KEY,
  merged_id uuid NOT NULL REFERENCES contacts(id),
  survivor_id uuid NOT NULL REFERENCES contacts(id),
  reason text NOT NULL,
  events_moved integer NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_merges_survivor ON contact_merges (survivor_id);
