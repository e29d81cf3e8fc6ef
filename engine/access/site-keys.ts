// Site keys: the public key a website's tracking snippet carries. It is visible to
// anyone who opens the page source, so it may only write tracking events and
// identify visitors, never read; only its SHA-256 is stored, and it can be revoked.
import crypto from 'node:crypto';
import type { Queryable } from '../storage/db.js';
import { insertSiteKey, liveSiteKeyId, liveSiteKeyListsHost, noteSiteKeyPage, revokeSiteKeyRow, siteKeyRows, type SiteKeyRow } from '../storage/site-keys.js';

export interface SiteKey {
  id: string;
  name: string;
  /** The first characters, to tell keys apart; the whole key is shown once, at creation. */
  prefix: string;
  /** Host names of the site: email links to them identify the browser on click. */
  domains: string[];
  createdAt: string;
  revokedAt: string | null;
  /** When a page last sent a page view with this key, and its address: the installation check. */
  lastSeenAt: string | null;
  lastPage: string | null;
}

const toSiteKey = (r: SiteKeyRow): SiteKey => ({
  id: r.id, name: r.name, prefix: r.prefix, domains: r.domains, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null,
  lastSeenAt: r.last_seen_at?.toISOString() ?? null, lastPage: r.last_page,
});

export const SITE_KEY_PATTERN = '^pk_[A-Za-z0-9_-]{20,64}$';

const hash = (key: string) => crypto.createHash('sha256').update(key).digest('hex');

/** Creates a key; the returned `key` is the only time the whole key is seen. */
export async function createSiteKey(db: Queryable, name: string, domains: string[] = []): Promise<SiteKey & { key: string }> {
  const key = `pk_${crypto.randomBytes(24).toString('base64url')}`;
  const row = await insertSiteKey(db, name, hash(key), key.slice(0, 10), domains.map((d) => d.toLowerCase()));
  return { ...toSiteKey(row), key };
}

export async function listSiteKeys(db: Queryable): Promise<SiteKey[]> {
  return (await siteKeyRows(db)).map(toSiteKey);
}

export async function revokeSiteKey(db: Queryable, id: string): Promise<SiteKey | undefined> {
  const row = await revokeSiteKeyRow(db, id);
  return row ? toSiteKey(row) : undefined;
}

const SEEN_EVERY_MS = 10_000;
/** When this process last noted each key: a busy site costs no query per page view. */
const notedAt = new Map<string, number>();

/** A page view arrived with this key: noted at most every ten seconds (per process here, across processes by the WHERE). */
export async function noteSiteKeySeen(db: Queryable, id: string, page: string): Promise<void> {
  const now = Date.now();
  if (now - (notedAt.get(id) ?? 0) < SEEN_EVERY_MS) return;
  notedAt.set(id, now);
  await noteSiteKeyPage(db, id, page.slice(0, 2000));
}

/** The id of the live site key `key`, or undefined for an unknown or revoked one. */
export async function verifySiteKey(db: Queryable, key: string): Promise<string | undefined> {
  return liveSiteKeyId(db, hash(key));
}

/** Whether a live site key lists this host name (links there get the visit token). */
export async function isTrackedHost(db: Queryable, host: string): Promise<boolean> {
  return liveSiteKeyListsHost(db, host.toLowerCase());
}

// Defined beside the page views it shapes: storage may not import this module.
