-- RFM (recency, frequency, monetary value). Purchases are copied here as they are
-- dispatched (one row per purchase event, so a re-dispatch adds nothing), so a
-- contact's facts are read from their few purchases, not from their whole timeline.
CREATE TABLE rfm_purchases (
  event_id uuid PRIMARY KEY REFERENCES events(id),
  contact_id uuid NOT NULL REFERENCES contacts(id),
  occurred_at timestamptz NOT NULL,
  value numeric NOT NULL DEFAULT 0
);
CREATE INDEX rfm_purchases_contact ON rfm_purchases (contact_id, occurred_at);

-- When each purchaser's scores next change by time alone (a recency boundary passed,
-- a purchase leaving the window): the dispatcher's tick reads the due end of this
-- index, so the cost is what is due, never a scan of all contacts.
CREATE TABLE rfm_due (
  contact_id uuid PRIMARY KEY REFERENCES contacts(id),
  due_at timestamptz NOT NULL
);
CREATE INDEX rfm_due_at ON rfm_due (due_at);
