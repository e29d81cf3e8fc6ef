-- A segment's size per day (UTC), for the size-over-time chart: the dispatcher notes
-- every active segment's member count at most once an hour (the day's last note wins),
-- and a new or changed segment's size at once. Counted, not derived from entered / left
-- events: defining or changing a segment sets its members quietly (no events).
CREATE TABLE segment_sizes (
  segment_id uuid NOT NULL REFERENCES segments(id),
  day date NOT NULL,
  members integer NOT NULL,
  PRIMARY KEY (segment_id, day)
);
