-- Pacing ("at most N per minute"): one queue per key (a throttle node of a program)
-- holding when its next place falls due, and each visit's place, so a retried step
-- keeps the place it took rather than taking another.
CREATE TABLE pacing_queues (
  key text PRIMARY KEY,
  next_at timestamptz NOT NULL
);

CREATE TABLE pacing_places (
  idempotency_key text PRIMARY KEY,
  queue text NOT NULL,
  at timestamptz NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pacing_places_taken ON pacing_places (taken_at);
