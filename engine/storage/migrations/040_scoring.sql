-- Lead scoring as data: rules turn events into points, each award is kept (the score
-- history with its reasons), and awards that decay expire through an indexed queue.
CREATE TABLE scoring_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  event_type text NOT NULL,
  "where" jsonb,
  points integer NOT NULL,
  cap_points integer,
  cap_period text,
  expires_after text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scoring_rules_event_type ON scoring_rules (event_type) WHERE active;

CREATE TABLE score_awards (
  id bigserial PRIMARY KEY,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  rule_id uuid NOT NULL REFERENCES scoring_rules(id),
  event_id uuid NOT NULL REFERENCES events(id),
  points integer NOT NULL,
  awarded_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  expired_at timestamptz,
  UNIQUE (rule_id, event_id)
);
CREATE INDEX score_awards_cap ON score_awards (contact_id, rule_id, awarded_at);
-- Only awards still to expire are in this index: the sweep reads what is due, nothing else.
CREATE INDEX score_awards_due ON score_awards (expires_at) WHERE expires_at IS NOT NULL AND expired_at IS NULL;
