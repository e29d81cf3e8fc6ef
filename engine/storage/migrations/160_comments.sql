-- Working together on a program (issue #19): comments on the program or on one of its
-- nodes, in threads one level deep (a reply names its thread's first comment), with
-- @mentions of people who have an account; and who has the program open right now.
CREATE TABLE program_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  program_id uuid NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  node_id text CHECK (node_id IS NULL OR length(node_id) BETWEEN 1 AND 200),
  thread_id uuid REFERENCES program_comments(id) ON DELETE CASCADE,
  author_kind text NOT NULL CHECK (author_kind IN ('user', 'key')),
  author_id uuid,
  author_name text NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  mentions uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A deleted comment keeps its place in the thread, without its words.
  deleted_at timestamptz
);
CREATE INDEX program_comments_program ON program_comments (program_id, created_at, id);

-- Each open editor says so every 20 seconds; a row older than a minute means the
-- editor is gone (rows are replaced, never cleaned up: one per person and program).
CREATE TABLE program_presence (
  program_id uuid NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
  who text NOT NULL,
  name text NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (program_id, who)
);
