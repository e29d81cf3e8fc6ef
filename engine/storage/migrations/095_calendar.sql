-- Schedule triggers ("every Monday at 09:00 in the contact's own time zone"): one due
-- time per schedule and time zone in use, not per contact. When a zone's time comes,
-- the contacts of that zone in the schedule's audience get `tend.schedule_reached`
-- in one INSERT … SELECT, and the zone's next time is planned.
CREATE TABLE calendar_schedules (
  signature text PRIMARY KEY,
  schedule jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_due (
  signature text NOT NULL REFERENCES calendar_schedules(signature),
  timezone text NOT NULL,
  fire_at timestamptz NOT NULL,
  PRIMARY KEY (signature, timezone)
);
CREATE INDEX calendar_due_at ON calendar_due (fire_at);

CREATE INDEX contacts_timezone ON contacts ((COALESCE(timezone, 'UTC')));
