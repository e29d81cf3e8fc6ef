-- Connected content: what an email fetched when it was sent (each URL, fetched, taken
-- from the cache or failed with its reason), recorded on its message.
ALTER TABLE messages ADD COLUMN connected jsonb;
