-- Conversion attribution and the program holdout (engine/attribution.ts, engine/holdout.ts).
-- A held-out entrant is an enrollment with status 'held_out': recorded at entry, ended
-- at once, no workflow. Conversions are not stored: they are read from the event log
-- against each program's entries and sent messages, so these indexes serve those reads.
ALTER TABLE enrollments DROP CONSTRAINT enrollments_status_check;
ALTER TABLE enrollments ADD CONSTRAINT enrollments_status_check CHECK (status IN ('active', 'completed', 'exited', 'failed', 'held_out'));
-- A program's entries in a period (the figures' cohorts), and one contact's entries into it (touches).
CREATE INDEX enrollments_program_entered ON enrollments (program_id, entered_at);
CREATE INDEX enrollments_program_contact ON enrollments (program_id, contact_id, entered_at);
-- A contact's messages from one program, by when they went out (touches).
CREATE INDEX messages_attribution ON messages (program_id, contact_id, sent_at) WHERE status = 'sent';
