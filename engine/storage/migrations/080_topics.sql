-- Subscription topics (newsletter, product news, offers): a marketing email may name
-- one, and a contact may opt out of single topics on the hosted preference page. The
-- opt-outs live in the contact's consent (`consent.topics`), so they are diffed and
-- recorded like every other consent change; this table only names and describes topics.
CREATE TABLE topics (
  key text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Archived topics leave the preference page; opt-outs already given still hold.
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Which topic a message was about, so skips and sends can be counted per topic.
ALTER TABLE messages ADD COLUMN topic text;
