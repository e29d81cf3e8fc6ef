// One spelling of "is this a UUID" for every id Tend hands out (gen_random_uuid,
// crypto.randomUUID). Routes test ids with it before a query, so a malformed id is a
// plain 404 rather than a PostgreSQL cast error.
const UUID_BODY = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID_EXACT = new RegExp(`^${UUID_BODY}$`, 'i');

export const isUuid = (value: string): boolean => UUID_EXACT.test(value);

/** A path segment that is a UUID (`/…/<uuid>` followed by `/` or the end), for every match in a path. */
export const uuidSegments = (): RegExp => new RegExp(`/${UUID_BODY}(?=/|$)`, 'gi');
