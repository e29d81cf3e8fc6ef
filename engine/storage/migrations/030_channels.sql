-- Channel policy: messages know whether they were marketing (frequency caps count
-- only those) and may be deferred (quiet hours, caps) until a time.
ALTER TABLE messages ADD COLUMN marketing boolean NOT NULL DEFAULT false;
ALTER TABLE messages ADD COLUMN deferred_until timestamptz;
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('sending', 'sent', 'failed', 'skipped', 'deferred'));
CREATE INDEX messages_caps ON messages (contact_id, channel, created_at) WHERE marketing;

-- Counters shared by every run (round-robin owner assignment); a draw is an applied
-- effect whose result is kept, so a retried visit gets the same number.
CREATE TABLE sequences (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
ALTER TABLE applied_effects ADD COLUMN result jsonb;
