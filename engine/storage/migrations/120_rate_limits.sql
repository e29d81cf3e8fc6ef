-- Token buckets of the public endpoints' rate limits, shared by every server
-- (server/rate-limit-postgres.ts). UNLOGGED: a crash empties it, which only forgives
-- the clients of the moment, and it spares the WAL a write per public request.
-- fillfactor leaves room on each page so the update every request makes stays HOT.
-- No index on `at`: it changes on every update, and an index on it would end HOT
-- updates; the once-a-minute sweep scans instead.
CREATE UNLOGGED TABLE rate_limits (
  endpoint_group text NOT NULL,
  client text NOT NULL,
  tokens double precision NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (endpoint_group, client)
) WITH (fillfactor = 70);
