-- Date-property triggers: when each contact's date comes round, per schedule (field,
-- offset, local time, yearly). A due-time index, swept for what is due; rows change
-- only when a contact's date field changes or a schedule fires.
CREATE TABLE date_schedule (
  signature text NOT NULL,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  fire_at timestamptz NOT NULL,
  PRIMARY KEY (signature, contact_id)
);
CREATE INDEX date_schedule_due ON date_schedule (fire_at);

-- Schedules whose existing contacts have been entered in date_schedule (once each).
CREATE TABLE date_schedules_known (
  signature text PRIMARY KEY,
  schedule jsonb NOT NULL,
  backfilled_at timestamptz NOT NULL DEFAULT now()
);
