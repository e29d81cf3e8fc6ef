-- Landing pages (engine/delivery/landing-pages.ts): a winner may be chosen by hand,
-- stopping the test; who chose it is kept beside when (decided_at) and the test's
-- figures of that moment (decision). Null when the test itself decided.
ALTER TABLE landing_pages ADD COLUMN decided_by jsonb;

-- A page's button clicks, by page, for a CTA goal's conversions.
CREATE INDEX events_landing_page_cta_clicked ON events ((properties->>'pageId'), occurred_at)
  WHERE type = 'landing_page_cta_clicked';
