-- Website content slots: a block of the customer's site (data-tend-slot="key") whose
-- content Tend chooses per visitor. One document per slot, like forms: the default
-- for visitors no rule picks, and the variants in order, each with its condition
-- (the first that holds wins). Deleting archives, so content_shown / content_clicked
-- events keep naming a slot; an archived slot's key may be used again.
CREATE TABLE content_slots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL,
  name text NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz
);
CREATE UNIQUE INDEX content_slots_key ON content_slots (key) WHERE archived_at IS NULL;

-- A slot's impressions and clicks are events naming it in properties.slot: this index
-- counts them per variant for the Website screen without reading every event.
CREATE INDEX events_content_slot ON events ((properties->>'slot'), occurred_at DESC)
  WHERE type IN ('content_shown', 'content_clicked');
