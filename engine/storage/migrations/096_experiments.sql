-- A/B experiments: which variant each contact got is an event on their timeline
-- (`tend.experiment_assigned`); the winner, once decided, is kept here and never flips.
CREATE INDEX events_experiment_assigned ON events ((properties->>'programId'), (properties->>'node'), occurred_at)
  WHERE type = 'tend.experiment_assigned';

CREATE TABLE experiment_winners (
  program_id uuid NOT NULL,
  node_id text NOT NULL,
  variant text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now(),
  results jsonb NOT NULL,
  PRIMARY KEY (program_id, node_id)
);
