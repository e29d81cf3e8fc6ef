-- Personal data and operations. An erased contact's enrollments stay, anonymised (no
-- contact, no trigger event, no key), so program statistics keep their counts; the
-- erasure itself is recorded without anything that names the person.
ALTER TABLE enrollments ALTER COLUMN contact_id DROP NOT NULL;

CREATE TABLE erasures (
  id bigserial PRIMARY KEY,
  erased_at timestamptz NOT NULL DEFAULT now(),
  -- How many rows of each kind went, and how many runs were ended: counts only.
  counts jsonb NOT NULL
);

-- What /metrics reads at scrape time, by index instead of by table scan.
CREATE INDEX enrollments_status ON enrollments (status);
CREATE INDEX messages_channel_status ON messages (channel, status);
CREATE INDEX node_visits_failed ON node_visits (enrollment_id) WHERE status = 'failed';
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX contacts_merged_into ON contacts (merged_into) WHERE merged_into IS NOT NULL;
