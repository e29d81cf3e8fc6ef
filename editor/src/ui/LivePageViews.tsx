// Page views as they arrive from the tracking snippet: the newest 20, asked for again
// every three seconds while "Live" is on, so someone pasting the snippet sees their own
// visit appear. Each names the page (without its query) and the contact, or says the
// visitor is not known yet.
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { linkTo } from '../router.js';
import { ago, precise } from './format.js';

interface PageView { id: string; at: string; page: string | null; title: string | null; contactId: string; email: string | null }

const EVERY_MS = 3000;

export function LivePageViews() {
  const [views, setViews] = useState<PageView[]>();
  const [live, setLive] = useState(true);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => api<{ pageViews: PageView[] }>('GET', '/api/page-views?limit=20').then((r) => { setViews(r.pageViews); setError(''); }, (e: Error) => setError(e.message));
    void load();
    if (!live) return;
    const t = setInterval(() => { if (document.visibilityState === 'visible') void load(); }, EVERY_MS);
    return () => clearInterval(t);
  }, [live]);
  return (
    <div className="live-views" aria-label="Live page views" role="region">
      <div className="section-head">
        <h3>Page views as they arrive</h3>
        <label className="check"><input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live</label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {!views ? <p className="muted">Loading…</p> : views.length === 0 ? <p className="muted">None yet: paste the snippet on a page and open it.</p> : (
        <table className="table compact" aria-label="Page views">
          <thead><tr><th>When</th><th>Page</th><th>Who</th></tr></thead>
          <tbody>{views.map((v) => (
            <tr key={v.id} data-testid="page-view-row">
              <td title={precise(v.at)}>{ago(v.at)}</td>
              <td>{v.title ? <>{v.title} <span className="muted small">{v.page}</span></> : v.page ?? '—'}</td>
              <td><a href={`/contacts/${v.contactId}`} onClick={linkTo(`/contacts/${v.contactId}`)}>{v.email ?? 'an anonymous visitor'}</a></td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
