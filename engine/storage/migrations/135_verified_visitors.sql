-- A browser proves who it is by arriving through a signed link from the contact's own
-- email (engine/browser-trust.ts); only then may it change fields that hold a value.
-- An identify by email alone leaves verified_at empty.
ALTER TABLE contact_identities ADD COLUMN verified_at timestamptz;
