-- Pop-up and slide-in forms: how t.js shows a form on the customer's site by itself —
-- its style, what makes it appear (exit intent, scroll depth, time on page, the N-th page
-- view), how long a browser is left alone after closing or submitting it, and the
-- segments it is for. One per form (the form's own row keeps what it asks); served only
-- while the form is in use.
CREATE TABLE form_popups (
  form_id uuid PRIMARY KEY REFERENCES forms(id),
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
