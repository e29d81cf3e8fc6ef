-- Segments: saved conditions over contacts and their events, with membership kept
-- live. Members are rows (entered_at says since when); a contact's membership changes
-- only when something about it changes, or when a time-relative rule's window moves,
-- which `segment_rechecks` schedules per contact (an indexed due queue, not a scan).
CREATE TABLE segments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  condition jsonb NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE segment_members (
  segment_id uuid NOT NULL REFERENCES segments(id),
  contact_id uuid NOT NULL REFERENCES contacts(id),
  entered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (segment_id, contact_id)
);
CREATE INDEX segment_members_contact ON segment_members (contact_id);

CREATE TABLE segment_rechecks (
  segment_id uuid NOT NULL REFERENCES segments(id),
  contact_id uuid NOT NULL REFERENCES contacts(id),
  due_at timestamptz NOT NULL,
  PRIMARY KEY (segment_id, contact_id)
);
CREATE INDEX segment_rechecks_due ON segment_rechecks (due_at);

-- The number a JSON value stands for, as the condition language reads it: a number,
-- or a string that is one ("42", " 3.5 "); NULL otherwise.
CREATE FUNCTION tend_num(v jsonb) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(v) = 'number' THEN (v #>> '{}')::numeric
    WHEN jsonb_typeof(v) = 'string' AND btrim(v #>> '{}') ~ '^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$' THEN btrim(v #>> '{}')::numeric
    ELSE NULL
  END
$$;
