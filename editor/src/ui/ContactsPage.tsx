// Every contact, searched (email, external id, any attribute) and filtered by tag or
// segment on the server, a page at a time: "Next" follows the list's own cursor, so a
// page deep in a million contacts is as quick as the first.
import { useEffect, useState } from 'react';
import { api, session, type Contact } from '../api.js';
import { count } from './format.js';
import { TopBar } from './TopBar.js';
import { ContactImport } from './ContactImport.js';
import { ContactsTable } from './ContactsTable.js';

interface Page { contacts: Contact[]; total: number | null; next: string | null }
interface Filter { q: string; tag: string; segment: string }

const PAGE = 50;

export function ContactsPage() {
  const [filter, setFilter] = useState<Filter>({ q: '', tag: '', segment: '' });
  /** Cursors of the pages before this one: "Previous" pops one. */
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  /** The page shown, and the query it answers: while the next one loads, the pager waits. */
  const [page, setPage] = useState<Page & { query: string }>();
  const [error, setError] = useState('');
  const [segments, setSegments] = useState<{ key: string; name: string }[]>([]);
  const [importing, setImporting] = useState(false);
  /** Bumped after an import: the list asks again. */
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    document.title = 'Contacts · Tend';
    api<{ segments: { key: string; name: string }[] }>('GET', '/api/segments').then((r) => setSegments(r.segments), () => undefined);
  }, []);
  const after = trail.at(-1);
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (filter.q.trim()) q.set('q', filter.q.trim());
  if (filter.tag.trim()) q.set('tag', filter.tag.trim());
  if (filter.segment) q.set('segment', filter.segment);
  if (after) q.set('after', after);
  const query = q.toString();
  useEffect(() => {
    // Typing reloads after a pause, not at every key.
    // Pages after the first carry no total (the server counts on the first only): keep the first's.
    const t = setTimeout(() => api<Page>('GET', `/api/contacts?${query}`).then((p) => { setPage((before) => ({ ...p, total: p.total ?? before?.total ?? null, query })); setError(''); }, (e: Error) => setError(e.message)), 250);
    return () => clearTimeout(t);
  }, [query, reloads]);
  const loading = page?.query !== query;
  const refilter = (f: Filter) => { setFilter(f); setTrail([null]); };

  const first = (trail.length - 1) * PAGE;

  return (
    <div className="page">
      <TopBar current="contacts" title="Contacts">
        {session.may('write') && <button onClick={() => setImporting(true)}>Import CSV…</button>}
      </TopBar>
      <main className="programs">
        <form className="toolbar" role="search" aria-label="Find contacts" onSubmit={(e) => e.preventDefault()}>
          <input className="search" type="search" placeholder="Email, external id or any attribute" aria-label="Search contacts" value={filter.q} onChange={(e) => refilter({ ...filter, q: e.target.value })} />
          <input className="search" type="search" placeholder="Tag" aria-label="Tag" value={filter.tag} onChange={(e) => refilter({ ...filter, tag: e.target.value })} />
          <select aria-label="Segment" value={filter.segment} onChange={(e) => refilter({ ...filter, segment: e.target.value })}>
            <option value="">Every segment</option>
            {segments.map((s) => <option key={s.key} value={s.key}>{s.name}</option>)}
          </select>
          <div className="spacer" />
          {page && page.total !== null && <span className="muted" data-testid="contacts-total">{count(page.total)} contact{page.total === 1 ? '' : 's'}</span>}
        </form>
        {error ? <p className="error" role="alert">{error}</p> : !page ? <p className="muted">Loading…</p> : page.contacts.length === 0 ? (
          <div className="empty"><h2>No contact matches</h2><p className="muted">Contacts arrive with events, forms, the website tracker, the API or a CSV import (<code>tend contacts import</code>).</p></div>
        ) : (
          <ContactsTable contacts={page.contacts} />
        )}
        {page && page.contacts.length > 0 && (
          <div className="row more pager">
            <button disabled={loading || trail.length === 1} onClick={() => setTrail(trail.slice(0, -1))}>Previous</button>
            <span className="muted small" aria-live="polite">{loading ? 'Loading…' : `${first + 1}–${first + page.contacts.length}${page.total === null ? '' : ` of ${count(page.total)}`}`}</span>
            <button disabled={loading || !page.next} onClick={() => setTrail([...trail, page.next])}>Next</button>
          </div>
        )}
      </main>
      {importing && <ContactImport onClose={() => setImporting(false)} onDone={() => setReloads((n) => n + 1)} />}
    </div>
  );
}
