-- The contacts list pages by (created_at, id) (GET /api/contacts?after=): this index
-- makes any page, however deep, one index range scan.
CREATE INDEX contacts_created_id ON contacts (created_at, id) WHERE merged_into IS NULL;
