// The newest page views, for the live view on the Settings screen: when, which page
// (its address without the query, which may carry a visitor's details), and who (the
// contact, or an anonymous visitor), newest first.
import type { Queryable } from './db.js';

export interface PageView { id: string; at: string; page: string | null; title: string | null; contactId: string; email: string | null }


/** A page's address without its query or fragment (they may carry a visitor's details): what Tend shows of a page view. */
export function pageAddress(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : url.split(/[?#]/)[0]!;
}

const address = (p: Record<string, unknown>): unknown => p.url ?? p.path;

export async function recentPageViews(db: Queryable, limit: number): Promise<PageView[]> {
  const { rows } = await db.query<{ id: string; received_at: Date; properties: Record<string, unknown>; contact_id: string; email: string | null }>(
    `SELECT e.id, e.received_at, e.properties, e.contact_id, c.email FROM events e JOIN contacts c ON c.id = e.contact_id
     WHERE e.type = 'page_view' ORDER BY e.received_at DESC, e.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id, at: r.received_at.toISOString(), page: typeof address(r.properties) === 'string' ? pageAddress(address(r.properties) as string) : null,
    title: typeof r.properties.title === 'string' ? r.properties.title : null, contactId: r.contact_id, email: r.email,
  }));
}
