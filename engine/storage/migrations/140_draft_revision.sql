-- Each save of a draft gets the next revision: a save that names the revision it was
-- made from is refused (409) when another save came in between, instead of silently
-- overwriting it (two tabs, two people).
ALTER TABLE programs ADD COLUMN revision integer NOT NULL DEFAULT 1;
