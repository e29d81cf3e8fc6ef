-- "Is the snippet installed?": when a site key last brought a page view, and of which
-- page (written at most every ten seconds per key, not on every request).
ALTER TABLE site_keys ADD COLUMN last_seen_at timestamptz, ADD COLUMN last_page text;
