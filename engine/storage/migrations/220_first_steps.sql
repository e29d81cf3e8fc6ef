-- First steps: runs entered together take their first step in one shared workflow
-- (engine/ARCHITECTURE.md, "First steps"). `runner` says who runs the run now: NULL
-- (nobody yet, or a run started as its own workflow before this), the shared
-- workflow that claimed it, or 'workflow' once it has its own. `handover` is the own
-- workflow's input, kept so a shared workflow that is run again after a crash starts
-- the same workflow rather than taking the step a second time.
ALTER TABLE enrollments ADD COLUMN runner text, ADD COLUMN handover jsonb, ADD COLUMN handed_over_at timestamptz;
