-- Forms: the definition (fields, hidden fields, thank-you, progressive profiling) as one
-- document. Deleting a form only archives it, so `form_submitted` events keep naming
-- something.
CREATE TABLE forms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz
);
