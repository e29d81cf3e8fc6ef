-- The live view of page views on the Settings screen reads the newest `page_view`
-- events; this index finds them without reading other events. Partial: only page view
-- inserts pay for it.
CREATE INDEX events_page_views_recent ON events (received_at DESC, id DESC) WHERE type = 'page_view';
