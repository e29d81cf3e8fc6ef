-- Form views: one counter per form and day (UTC), added to by each load of the hosted
-- page or the embed, so the Forms screen can say how many of those who saw a form
-- submitted it. A counter rather than a row per view: views are many and anonymous,
-- and only their number per day is ever asked for.
CREATE TABLE form_views (
  form_id uuid NOT NULL REFERENCES forms(id),
  day date NOT NULL,
  views bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (form_id, day)
);

-- A form's submissions are `form_submitted` events naming it in properties.formId:
-- this index finds them newest first (the submissions list pages by (occurred_at, id))
-- and counts them per day without reading every event.
CREATE INDEX events_form_submitted ON events ((properties->>'formId'), occurred_at DESC, id DESC)
  WHERE type = 'form_submitted';
