// The Messages screen. Sent: every message Tend sent or tried — email, SMS, webhook
// calls — newest first: search by recipient or subject, filter by status and channel,
// why a failed or skipped one did not go, whether it was opened or clicked, and the
// program and contact it belongs to. Topics: subscription topics and the preference
// page. Design: the sender, layouts and partials.
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { linkTo } from '../router.js';
import { ago, precise } from './format.js';
import { TopBar } from './TopBar.js';
import { TopicsPanel } from './MessagingTopics.js';
import { EmailDesignPanel } from './EmailDesign.js';

interface Message { id: string; channel: string; status: string; recipient: string | null; subject: string | null; reason: string | null; contactId: string | null; programId: string | null; programName: string | null; nodeId: string | null; createdAt: string; sentAt: string | null; openedAt: string | null; clickedAt: string | null }
interface Filter { q: string; status: string; channel: string }

type Tab = 'sent' | 'topics' | 'design';
const TABS: [Tab, string][] = [['sent', 'Sent'], ['topics', 'Topics'], ['design', 'Layouts and sender']];

export function MessagesPage() {
  const [tab, setTab] = useState<Tab>(() => {
    const asked = new URLSearchParams(location.search).get('tab');
    return TABS.some(([t]) => t === asked) ? (asked as Tab) : 'sent';
  });
  const show = (t: Tab) => { setTab(t); history.replaceState(null, '', t === 'sent' ? '/messages' : `/messages?tab=${t}`); };
  useEffect(() => { document.title = 'Messages · Tend'; }, []);
  return (
    <div className="page">
      <TopBar current="messages" title="Messages" />
      <main className="programs">
        <div className="view-switch page-tabs" role="tablist" aria-label="Messages">
          {TABS.map(([t, label]) => <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => show(t)}>{label}</button>)}
        </div>
        {tab === 'sent' ? <SentMessages /> : tab === 'topics' ? <TopicsPanel /> : <EmailDesignPanel />}
      </main>
    </div>
  );
}

function SentMessages() {
  const [filter, setFilter] = useState<Filter>({ q: '', status: '', channel: '' });
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<{ messages: Message[]; next: string | null; query: string }>();
  const [error, setError] = useState('');
  const q = new URLSearchParams({ limit: '50' });
  if (filter.q.trim()) q.set('q', filter.q.trim());
  if (filter.status) q.set('status', filter.status);
  if (filter.channel) q.set('channel', filter.channel);
  const before = trail.at(-1);
  if (before) q.set('before', before);
  const query = q.toString();
  useEffect(() => {
    const t = setTimeout(() => api<{ messages: Message[]; next: string | null }>('GET', `/api/messages?${query}`).then((p) => { setPage({ ...p, query }); setError(''); }, (e: Error) => setError(e.message)), 250);
    return () => clearTimeout(t);
  }, [query]);
  const loading = page?.query !== query;
  const refilter = (f: Filter) => { setFilter(f); setTrail([null]); };

  return (
    <>
        <form className="toolbar" role="search" aria-label="Find messages" onSubmit={(e) => e.preventDefault()}>
          <input className="search" type="search" placeholder="Recipient or subject" aria-label="Search messages" value={filter.q} onChange={(e) => refilter({ ...filter, q: e.target.value })} />
          <select aria-label="Status" value={filter.status} onChange={(e) => refilter({ ...filter, status: e.target.value })}>
            <option value="">Any status</option>{['sent', 'failed', 'skipped', 'sending'].map((st) => <option key={st} value={st}>{st}</option>)}
          </select>
          <select aria-label="Channel" value={filter.channel} onChange={(e) => refilter({ ...filter, channel: e.target.value })}>
            <option value="">Every channel</option>{['email', 'sms', 'webhook'].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </form>
        {error ? <p className="error" role="alert">{error}</p> : !page ? <p className="muted">Loading…</p> : page.messages.length === 0 ? (
          <div className="empty"><h2>No message matches</h2><p className="muted">Emails, SMS and webhook calls that programs send are listed here, each with what became of it.</p></div>
        ) : (
          <table className="table" aria-label="Messages">
            <thead><tr><th>When</th><th>To</th><th>Subject</th><th>Status</th><th>Engagement</th><th>Program</th></tr></thead>
            <tbody>{page.messages.map((m) => (
              <tr key={m.id} data-testid="message-row">
                <td title={precise(m.createdAt)}>{ago(m.createdAt)}</td>
                <td>{m.contactId ? <a href={`/contacts/${m.contactId}`} onClick={linkTo(`/contacts/${m.contactId}`)}>{m.recipient ?? '—'}</a> : m.recipient ?? '—'} <span className="muted small">{m.channel}</span></td>
                <td>{m.subject ?? '—'}</td>
                <td><span className={`status status-${m.status}`}>{m.status}</span>{m.reason && <div className="muted small" data-testid="message-reason">{m.reason}</div>}</td>
                <td className="small">{[m.openedAt ? 'opened' : '', m.clickedAt ? 'clicked' : ''].filter(Boolean).join(', ') || '—'}</td>
                <td>{m.programId ? <a href={`/programs/${m.programId}${m.nodeId ? `?node=${encodeURIComponent(m.nodeId)}` : ''}`} onClick={linkTo(`/programs/${m.programId}${m.nodeId ? `?node=${encodeURIComponent(m.nodeId)}` : ''}`)}>{m.programName ?? m.programId.slice(0, 8)}</a> : '—'}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
        {page && page.messages.length > 0 && (
          <div className="row more pager">
            <button disabled={loading || trail.length === 1} onClick={() => setTrail(trail.slice(0, -1))}>Newer</button>
            <button disabled={loading || !page.next} onClick={() => setTrail([...trail, page.next])}>Older</button>
          </div>
        )}
    </>
  );
}
