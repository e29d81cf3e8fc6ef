// Landing pages: the hosted pages at /p/:slug, with their status, variants and the
// winner of each page's A/B test once decided.
import { useEffect, useState } from 'react';
import { api, problemText, session } from '../api.js';
import { linkTo, navigate } from '../router.js';
import { ago, when } from './format.js';
import { TopBar } from './TopBar.js';
import type { LandingPage } from './landing-types.js';

export function LandingPagesPage() {
  const [pages, setPages] = useState<LandingPage[]>();
  const [error, setError] = useState('');
  useEffect(() => { document.title = 'Landing pages · Tend'; api<{ landingPages: LandingPage[] }>('GET', '/api/landing-pages').then((r) => setPages(r.landingPages), (e) => setError(problemText(e))); }, []);
  return (
    <div className="page">
      <TopBar current="landing-pages" title="Landing pages">{session.may('write') && <button className="primary" onClick={() => navigate('/landing-pages/new')}>New landing page</button>}</TopBar>
      <main className="programs">
        {error ? <p className="error" role="alert">{error}</p> : !pages ? <p className="muted">Loading…</p> : pages.length === 0 ? (
          <div className="empty"><h2>No landing pages yet</h2><p className="muted">A landing page is a page Tend hosts for a campaign — a heading, some text, an image, a form, a button — at <code>/p/your-page</code>. Give it two or more variants and Tend splits visitors between them, counts who converts, and shows everyone the winner once the test is sure.</p></div>
        ) : (
          <table className="table" aria-label="Landing pages">
            <thead><tr><th>Name</th><th>Address</th><th>Status</th><th className="num">Variants</th><th>Winner</th><th>Changed</th></tr></thead>
            <tbody>{pages.map((p) => (
              <tr key={p.id} data-testid="landing-page-row">
                <td><a href={`/landing-pages/${p.id}`} onClick={linkTo(`/landing-pages/${p.id}`)}>{p.name}</a></td>
                <td><code>/p/{p.slug}</code></td>
                <td><span className={`status status-${p.status === 'published' ? 'live' : p.status}`}>{p.status}</span></td>
                <td className="num">{p.variants.length}</td>
                <td>{p.winner ? p.variants.find((v) => v.key === p.winner)?.name ?? p.winner : <span className="muted">—</span>}</td>
                <td title={when(p.updatedAt)}>{ago(p.updatedAt)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </main>
    </div>
  );
}
