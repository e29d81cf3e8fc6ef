-- Email engagement: the links of each sent email (clicks name a link by its index, so
-- a click can only lead where the email led) and when it was first opened / clicked.
ALTER TABLE messages ADD COLUMN links jsonb;
ALTER TABLE messages ADD COLUMN first_opened_at timestamptz;
ALTER TABLE messages ADD COLUMN first_clicked_at timestamptz;
