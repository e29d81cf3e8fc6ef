-- A deleted scoring rule is gone from the API (404, not listed) but its row stays:
-- past score awards name it and keep their reason. `active` remains the user's own
-- switch for a rule that is paused, not deleted.
ALTER TABLE scoring_rules ADD COLUMN deleted_at timestamptz;
-- Rules switched off before this (by DELETE or by PUT active:false) cannot be told apart: they stay, inactive.
