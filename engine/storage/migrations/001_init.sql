-- Tend's first schema: contacts, the event log (the contact timeline), the outbox
-- that makes dispatch crash-safe, programs and their immutable versions,
-- enrollments, node visits and messages.

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_id text UNIQUE,
  email text UNIQUE,
  phone text,
  attributes jsonb NOT NULL DEFAULT '{}',
  score integer NOT NULL DEFAULT 0,
  tags text[] NOT NULL DEFAULT '{}',
  consent jsonb NOT NULL DEFAULT '{}',
  unsubscribed_at timestamptz,
  timezone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: the contact's timeline. Events from outside carry an optional
-- client id; one client id is accepted once.
CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL REFERENCES contacts(id),
  type text NOT NULL,
  properties jsonb NOT NULL DEFAULT '{}',
  client_id text UNIQUE,
  source text NOT NULL DEFAULT 'api',
  occurred_at timestamptz NOT NULL DEFAULT now(),
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_contact_time ON events (contact_id, occurred_at, received_at);

CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES events(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  not_before timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE programs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'paused', 'archived')),
  draft jsonb NOT NULL,
  live_version integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE program_versions (
  program_id uuid NOT NULL REFERENCES programs(id),
  version integer NOT NULL,
  document jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (program_id, version)
);

CREATE TABLE enrollments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  program_id uuid NOT NULL REFERENCES programs(id),
  version integer NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  key text NOT NULL DEFAULT '',
  trigger_event_id uuid REFERENCES events(id),
  trigger_node text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'exited', 'failed')),
  current_node text,
  exit_reason text,
  entered_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  UNIQUE (program_id, trigger_event_id, key)
);
-- At most one active run per program, contact and correlation key.
CREATE UNIQUE INDEX enrollments_one_active ON enrollments (program_id, contact_id, key) WHERE status = 'active';
CREATE INDEX enrollments_contact ON enrollments (contact_id, status);

CREATE TABLE node_visits (
  enrollment_id uuid NOT NULL REFERENCES enrollments(id),
  node_id text NOT NULL,
  visit integer NOT NULL,
  program_id uuid NOT NULL,
  version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'waiting', 'completed', 'failed')),
  port text,
  wake_at timestamptz,
  error text,
  entered_at timestamptz NOT NULL DEFAULT now(),
  left_at timestamptz,
  PRIMARY KEY (enrollment_id, node_id, visit)
);
CREATE INDEX node_visits_program_node ON node_visits (program_id, node_id, status);

-- One row per effect on the world (email, webhook). The idempotency key is derived
-- in the workflow (enrollment, node, visit), so a retry finds the row it made.
CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key text NOT NULL UNIQUE,
  channel text NOT NULL,
  contact_id uuid REFERENCES contacts(id),
  enrollment_id uuid REFERENCES enrollments(id),
  program_id uuid,
  node_id text,
  recipient text,
  subject text,
  status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'skipped')),
  reason text,
  attempts integer NOT NULL DEFAULT 1,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX messages_contact ON messages (contact_id, created_at);
CREATE INDEX messages_program_node ON messages (program_id, node_id, status);

-- Effects on Tend's own data (contact changes, score) applied once per key.
CREATE TABLE applied_effects (
  key text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
