-- The predictive lead score: its settings (one row) and the models trained from past
-- leads, newest last; the newest scores contacts into attributes.readiness (0-100).
CREATE TABLE predictive_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE predictive_models (
  id bigserial PRIMARY KEY,
  trained_at timestamptz NOT NULL DEFAULT now(),
  model jsonb NOT NULL,
  quality jsonb NOT NULL
);
