-- Every stored event writes two rows (the event and its outbox row), and each index
-- entry, trigger and key check on them is paid once per event: ingest is bound by them
-- (npm run bench, "ingest"). This removes what the data does not need:
-- * the outbox's contact is given by every statement that writes outbox rows, and
--   NOT NULL makes one that forgets it fail, instead of a trigger looking it up;
-- * the outbox's foreign key to events: outbox rows are written only in their event's
--   transaction, and erasure, the one path that deletes events, deletes their outbox
--   rows first (engine/personal-data.ts);
-- * the outbox's created_at index: /metrics reads the oldest row by its id;
-- * client ids are unique where there is one: events without one skip that index.
UPDATE outbox o SET contact_id = e.contact_id FROM events e WHERE e.id = o.event_id AND o.contact_id IS NULL;
DROP TRIGGER outbox_contact ON outbox;
DROP FUNCTION outbox_contact_of_event();
ALTER TABLE outbox ALTER COLUMN contact_id SET NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_fkey;
DROP INDEX outbox_created;
CREATE UNIQUE INDEX events_client_id ON events (client_id) WHERE client_id IS NOT NULL;
ALTER TABLE events DROP CONSTRAINT events_client_id_key;
