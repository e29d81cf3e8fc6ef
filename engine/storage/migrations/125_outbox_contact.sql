-- Several dispatchers (several servers) hand one contact's events to programs in
-- order: a dispatcher holds back a contact's events while an earlier one of theirs is
-- still due in the outbox and claimed elsewhere. For that check the outbox carries the
-- event's contact, set here on every insert that does not give it (bulk ingest does,
-- saving the lookup), so no code path that stores events can forget it. It is not moved by an identity merge: updating outbox rows inside a merge
-- would wait on a dispatcher's claim while that dispatcher waits on the merge's
-- contact lock. So right after a merge, the survivor's and the merged contact's pending
-- events count as two contacts for ordering (engine/ARCHITECTURE.md).
ALTER TABLE outbox ADD COLUMN contact_id uuid;
UPDATE outbox o SET contact_id = e.contact_id FROM events e WHERE e.id = o.event_id;
CREATE INDEX outbox_contact ON outbox (contact_id, id);

CREATE FUNCTION outbox_contact_of_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.contact_id IS NULL THEN
    NEW.contact_id := (SELECT contact_id FROM events WHERE id = NEW.event_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER outbox_contact BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_contact_of_event();
