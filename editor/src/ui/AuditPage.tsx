// The audit log: every change made through the API, newest first, filtered by who,
// what and which thing, with what each change was (a publish lists its changes in
// words). Read only: the database refuses to change or delete an entry.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { actionInWords } from '../model/audit-words.js';
import { navigate } from '../router.js';
import { ago, precise } from './format.js';
import { TopBar } from './TopBar.js';

interface Entry {
  id: string;
  at: string;
  actor: { kind: 'user' | 'key' | 'system'; id: string | null; name: string };
  action: string;
  target: { kind: string; id: string | null } | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

/** What the "What" filter offers: a piece of the recorded action each entry of the kind contains. */
const KINDS: [string, string][] = [
  ['', 'Every change'], ['/publish', 'Publishes'], ['/api/flows', 'Programs'], ['/api/segments', 'Segments'], ['/api/scoring-rules', 'Scoring rules'],
  ['/api/forms', 'Forms'], ['/api/users', 'People and invitations'], ['/api/keys', 'API keys'], ['/api/site-keys', 'Site keys'],
  ['/api/contacts', 'Contacts’ personal data'], ['/api/topics', 'Topics'], ['/api/messaging-policy', 'Messaging policy'],
  ['/api/rfm-settings', 'RFM settings'], ['/api/predictive-score', 'Predictive score'],
];

interface Filter { actor: string; action: string; target: string }

const query = (f: Filter, before?: string) => {
  const q = new URLSearchParams();
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action) q.set('action', f.action);
  if (f.target.trim()) q.set('target', f.target.trim());
  if (before) q.set('before', before);
  q.set('limit', '50');
  return q.toString();
};

export function AuditPage() {
  const [filter, setFilter] = useState<Filter>({ actor: '', action: '', target: '' });
  const [entries, setEntries] = useState<Entry[]>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback((f: Filter, before?: string) => {
    api<{ entries: Entry[]; next: string | null }>('GET', `/api/audit-log?${query(f, before)}`).then((r) => {
      setEntries((old) => (before ? [...(old ?? []), ...r.entries] : r.entries));
      setNext(r.next);
      setError('');
    }, (e) => setError(e instanceof ApiError ? e.problems.map((p) => p.message).join('; ') || e.title : (e as Error).message));
  }, []);
  // Typing in a filter reloads after a pause, not at every key.
  useEffect(() => {
    const t = setTimeout(() => load(filter), 250);
    return () => clearTimeout(t);
  }, [filter, load]);
  useEffect(() => { document.title = 'Audit log · Tend'; }, []);

  return (
    <div className="page">
      <TopBar current="audit" title="Audit log" />
      <main className="programs">
        <form className="toolbar" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
          <input className="search" type="search" placeholder="Who (name or email)" aria-label="Who" value={filter.actor} onChange={(e) => setFilter({ ...filter, actor: e.target.value })} />
          <select aria-label="What" value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })}>
            {KINDS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
          <input className="search" type="search" placeholder="Which thing (its id)" aria-label="Which thing" value={filter.target} onChange={(e) => setFilter({ ...filter, target: e.target.value })} />
        </form>
        {error ? <p className="error" role="alert">{error}</p> : !entries ? <p className="muted">Loading…</p> : entries.length === 0 ? (
          <div className="empty"><h2>No entry matches</h2><p className="muted">Every change made through Tend is recorded here, with who made it and from where.</p></div>
        ) : (
          <table className="table audit" aria-label="Audit entries">
            <thead><tr><th>When</th><th>Who</th><th>What</th><th>Which</th><th>From</th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <AuditRow key={e.id} entry={e} open={open === e.id} onToggle={() => setOpen(open === e.id ? null : e.id)} />
              ))}
            </tbody>
          </table>
        )}
        {next && <div className="row more"><button onClick={() => load(filter, next)}>Older entries</button></div>}
      </main>
    </div>
  );
}

function AuditRow({ entry: e, open, onToggle }: { entry: Entry; open: boolean; onToggle: () => void }) {
  const changes = Array.isArray(e.detail.changes) ? (e.detail.changes as unknown[]).map(String) : undefined;
  const rest = Object.entries(e.detail).filter(([k]) => k !== 'changes' && k !== 'name');
  const name = typeof e.detail.name === 'string' ? e.detail.name : undefined;
  const hasDetail = Boolean(changes?.length || rest.length);
  return (
    <>
      <tr data-testid="audit-row" data-action={e.action}>
        <td title={precise(e.at)}>{ago(e.at)}</td>
        <td>{e.actor.name}<span className="muted small"> · {e.actor.kind === 'key' ? 'API key' : e.actor.kind === 'user' ? 'person' : 'Tend'}</span></td>
        <td>
          {hasDetail ? <button className="link" aria-expanded={open} onClick={onToggle}>{actionInWords(e.action)}</button> : actionInWords(e.action)}
        </td>
        <td><Target entry={e} name={name} /></td>
        <td className="muted small">{e.ip ?? '—'}</td>
      </tr>
      {open && hasDetail && (
        <tr className="audit-detail">
          <td colSpan={5}>
            {changes && <ul aria-label="Changes">{changes.map((c, i) => <li key={i}>{c}</li>)}</ul>}
            {rest.length > 0 && <dl>{rest.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>)}</dl>}
          </td>
        </tr>
      )}
    </>
  );
}

function Target({ entry: e, name }: { entry: Entry; name?: string }) {
  if (!e.target) return <span className="muted">—</span>;
  const label = name ?? (e.target.id ? `${e.target.kind} ${e.target.id.slice(0, 8)}` : e.target.kind);
  const program = (e.target.kind === 'program' || e.target.kind === 'flows') && e.target.id;
  return program
    ? <a href={`/programs/${e.target.id}`} title={e.target.id!} onClick={(ev) => { ev.preventDefault(); navigate(`/programs/${e.target!.id}`); }}>{label}</a>
    : <span title={e.target.id ?? undefined}>{label}</span>;
}
