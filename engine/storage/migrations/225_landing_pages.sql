-- Landing pages with A/B tests (engine/delivery/landing-pages.ts): hosted pages at
-- /p/:slug built from blocks, one list of blocks per variant. Views and conversions are
-- not stored here: a view is a `landing_page_viewed` event on the visitor's timeline and
-- a conversion is the goal's event after it, so the figures are read from the event log
-- as attribution does, and follow contacts through merges for free.
CREATE TABLE landing_pages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  -- The page's title and its variants (key, name, weight, blocks), checked by the server.
  definition jsonb NOT NULL,
  -- What counts as a conversion: {kind: 'form'} or {kind: 'event', eventType}, within withinDays of a view.
  goal jsonb NOT NULL,
  confidence numeric NOT NULL CHECK (confidence > 0 AND confidence < 1),
  min_sample integer NOT NULL CHECK (min_sample > 0),
  -- Decided once, never flipped: from then on every visitor sees it.
  winner text,
  decided_at timestamptz,
  -- The figures and p-value the winner was decided on.
  decision jsonb,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((winner IS NULL) = (decided_at IS NULL))
);
-- An archived page frees its slug (its events keep naming the page by id).
CREATE UNIQUE INDEX landing_pages_slug ON landing_pages (slug) WHERE status <> 'archived';

-- A page's views, by page, for the results (its viewers per variant).
CREATE INDEX events_landing_page_viewed ON events ((properties->>'pageId'), occurred_at)
  WHERE type = 'landing_page_viewed';
