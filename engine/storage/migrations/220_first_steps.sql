-- First steps: runs entered together take their first step in one shared workflow
-- (engine/ARCHITECTURE.md, "First steps"). `runner` says who runs the run now: NULL
-- (nobody yet, or a run started as its own workflow before this), the shared
-- workflow that claimed it, or 'workflow' once it has its own. `handover` is the own
-- workflow's input, kept so a shared workflow that is run again after a crash starts
-- the same workflow rather than taking the step a second time.
ALTER TABLE enrollments ADD COLUMN runner text, ADD COLUMN handover jsonb, ADD COLUMN handed_over_at timestamptz;
-- Runs started before this have workflows of their own.
UPDATE enrollments SET runner = 'workflow' WHERE status = 'active';
-- Events for a run that has no workflow of its own yet (it is taking its first step in
-- a shared one): kept here and handed to its workflow with it, or dropped when the run
-- ends in that first step.
CREATE TABLE run_inbox (
  id bigserial PRIMARY KEY,
  enrollment_id uuid NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
  event jsonb NOT NULL
);
CREATE INDEX run_inbox_enrollment ON run_inbox (enrollment_id);
