// One contact's profile: who they are (fields, attributes, score, tags, segments,
// consent), the programs they are in and where, the messages sent to them, and the
// timeline of everything, newest first, with the history of changes to the contact in
// words. Editing, export (everything Tend holds, as JSON) and erasure (with what will be
// deleted named first) for those who may.
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, download, session, type Contact, type ProgramSummary, type TimelineEntry } from '../api.js';
import { formatValue } from '../model/summary.js';
import { changeLines, changedBy } from '../model/contact-changes.js';
import { ContactEditDialog } from './ContactEditDialog.js';
import { navigate } from '../router.js';
import { ago, precise, when } from './format.js';
import { Dialog } from './Dialog.js';
import { TopBar } from './TopBar.js';
import { useToast } from './toast.js';

type Kind = 'all' | TimelineEntry['kind'] | 'changes';
const KINDS: [Kind, string][] = [['all', 'Everything'], ['event', 'Events'], ['changes', 'Changes to the contact'], ['node', 'Program steps'], ['message', 'Messages']];
const CONTACT_CHANGED = 'tend.contact_changed';
const SCORE_CHANGED = 'tend.score_changed';
const isChange = (e: TimelineEntry) => e.kind === 'event' && e.type === CONTACT_CHANGED;

export function ContactPage({ contactId }: { contactId: string }) {
  const toast = useToast();
  const [data, setData] = useState<{ contact: Contact; entries: TimelineEntry[]; truncated: boolean }>();
  const [programs, setPrograms] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState('');
  const [kind, setKind] = useState<Kind>('all');
  const [erasing, setErasing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [loads, setLoads] = useState(0);
  useEffect(() => {
    Promise.all([
      api<Contact>('GET', `/api/contacts/${contactId}`),
      api<{ entries: TimelineEntry[]; truncated: boolean }>('GET', `/api/contacts/${contactId}/timeline?limit=5000`),
    ]).then(([contact, t]) => { setData({ contact, entries: t.entries, truncated: t.truncated }); document.title = `${contact.email ?? contact.externalId ?? 'Contact'} · Tend`; },
      (e) => setError(e instanceof ApiError && e.status === 404 ? 'No such contact (erased, or never here).' : (e as Error).message));
    api<{ programs: ProgramSummary[] }>('GET', '/api/flows?archived=true').then((r) => setPrograms(new Map(r.programs.map((p) => [p.id, p.name]))), () => undefined);
  }, [contactId, loads]);

  const newestFirst = useMemo(() => [...(data?.entries ?? [])].reverse(), [data]);
  /** Each program's latest step for this contact: where they are, or where they ended. */
  const inPrograms = useMemo(() => {
    const latest = new Map<string, TimelineEntry>();
    for (const e of newestFirst) if (e.kind === 'node' && !latest.has(String(e.programId))) latest.set(String(e.programId), e);
    return [...latest.entries()];
  }, [newestFirst]);
  if (error) return <div className="page"><TopBar current="contacts" title="Contact" /><main className="programs"><p className="error" role="alert">{error}</p></main></div>;
  if (!data) return <div className="page"><TopBar current="contacts" title="Contact" /><main className="programs"><p className="muted">Loading…</p></main></div>;
  const c = data.contact;
  const name = c.email ?? c.externalId ?? c.id;
  const messages = newestFirst.filter((e) => e.kind === 'message');
  const shown = newestFirst.filter((e) => kind === 'all' || (kind === 'changes' ? isChange(e) : e.kind === kind));
  const programName = (id: unknown) => programs.get(String(id)) ?? `program ${String(id).slice(0, 8)}`;

  return (
    <div className="page">
      <TopBar current="contacts" title={<><a href="/contacts" onClick={(e) => { e.preventDefault(); navigate('/contacts'); }} className="crumb">Contacts</a> / <span data-testid="contact-name">{name}</span></>}>
        <button data-testid="export-contact" disabled={!session.may('export')} title={session.may('export') ? 'Everything Tend holds about this contact, as JSON' : `A ${session.person()?.role ?? 'viewer'} may not export a contact's personal data`}
          onClick={() => void download(`/api/contacts/${c.id}/export`, 'contact.json').catch((e: Error) => toast(e.message, 'error'))}>Export personal data</button>
        <button data-testid="edit-contact" disabled={!session.may('write')} onClick={() => setEditing(true)}>Edit</button>
        <button className="danger" data-testid="erase-contact" disabled={!session.may('write')} onClick={() => setErasing(true)}>Erase…</button>
      </TopBar>
      <main className="programs profile">
        <section className="profile-card" aria-label="Who">
          <dl className="facts">
            <div><dt>Email</dt><dd>{c.email ?? '—'}</dd></div>
            <div><dt>External id</dt><dd>{c.externalId ?? '—'}</dd></div>
            <div><dt>Phone</dt><dd>{c.phone ?? '—'}</dd></div>
            <div><dt>Time zone</dt><dd>{c.timezone ?? 'unknown (UTC)'}</dd></div>
            <div><dt>Score</dt><dd data-testid="contact-score">{c.score}</dd></div>
            <div><dt>Since</dt><dd title={when(c.createdAt)}>{ago(c.createdAt)}</dd></div>
            <div><dt>Tags</dt><dd data-testid="contact-tags">{c.tags.length ? c.tags.map((t) => <span key={t} className="pill">{t}</span>) : '—'}</dd></div>
            <div><dt>Segments</dt><dd data-testid="contact-segments">{c.segments?.length ? c.segments.map((s) => <span key={s} className="pill pill-segment">{s}</span>) : '—'}</dd></div>
            <div><dt>Marketing email</dt><dd>{c.unsubscribed ? 'unsubscribed from all' : 'subscribed'}</dd></div>
            {Object.entries(c.consent ?? {}).filter(([k]) => k !== 'topics').map(([k, v]) => <div key={k}><dt>Consent: {k}</dt><dd>{formatValue(v)}</dd></div>)}
            <div><dt>Topics left</dt><dd data-testid="contact-topics-left">{topicsLeft(c).length ? topicsLeft(c).map((t) => <span key={t} className="pill">{t}</span>) : 'none'}</dd></div>
          </dl>
          <h3>Attributes</h3>
          {Object.keys(c.attributes).length === 0 ? <p className="muted small">None yet.</p> : (
            <table className="table compact" aria-label="Attributes"><tbody>
              {Object.entries(c.attributes).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{formatValue(v)}</td></tr>)}
            </tbody></table>
          )}
        </section>
        <section aria-label="Programs">
          <h2 className="section-title">Programs</h2>
          {inPrograms.length === 0 ? <p className="muted">In no program yet.</p> : (
            <table className="table" aria-label="Programs of the contact"><thead><tr><th>Program</th><th>Step</th><th>Status</th><th>Since</th></tr></thead><tbody>
              {inPrograms.map(([id, e]) => (
                <tr key={id} data-testid="contact-program">
                  <td><a href={`/programs/${id}?node=${encodeURIComponent(String(e.node))}`} onClick={(ev) => { ev.preventDefault(); navigate(`/programs/${id}?node=${encodeURIComponent(String(e.node))}`); }}>{programName(id)}</a></td>
                  <td>{String(e.node)}</td>
                  <td><span className={`status status-${String(e.status)}`}>{String(e.status)}</span>{e.wakeAt ? <span className="muted small"> until {when(String(e.wakeAt))}</span> : null}</td>
                  <td title={precise(e.at)}>{ago(e.at)}</td>
                </tr>
              ))}
            </tbody></table>
          )}
          <ScorePanel contactId={c.id} score={c.score} changes={newestFirst.filter((e) => e.kind === 'event' && e.type === SCORE_CHANGED)} />
          <h2 className="section-title">Messages <span className="muted small">{messages.length}</span></h2>
          {messages.length === 0 ? <p className="muted">Nothing sent yet.</p> : (
            <table className="table" aria-label="Messages"><thead><tr><th>Channel</th><th>Subject</th><th>Status</th><th>Engagement</th><th>When</th></tr></thead><tbody>
              {messages.map((m) => <tr key={String(m.id)} data-testid="contact-message"><td>{String(m.channel)}</td><td>{String(m.subject ?? '')}</td><td><span className={`status status-${String(m.status)}`}>{String(m.status)}</span></td>
                <td className="small">{[m.openedAt ? 'opened' : '', m.clickedAt ? 'clicked' : ''].filter(Boolean).join(', ') || '—'}</td><td title={precise(m.at)}>{ago(m.at)}</td></tr>)}
            </tbody></table>
          )}
        </section>
        <section aria-label="Timeline">
          <div className="toolbar">
            <h2 className="section-title">Timeline</h2>
            <div className="spacer" />
            <select aria-label="Show" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>{KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}</select>
          </div>
          <ol className="timeline" data-testid="timeline">
            {shown.map((e, i) => (
              <li key={i} className={`tl-${e.kind}`}>
                <time title={e.at}>{precise(e.at)}</time>
                {isChange(e) ? <ChangeEntry properties={(e.properties ?? {}) as Record<string, unknown>} by={changedBy((e.properties ?? {}) as Record<string, unknown>, programName)} />
                  : e.kind === 'event' && <span>Event <strong>{String(e.type)}</strong></span>}
                {e.kind === 'node' && <span>{programName(e.programId)} · {String(e.node)} <span className={`status status-${String(e.status)}`}>{String(e.status)}</span>{e.port ? <> → {String(e.port)}</> : null}</span>}
                {e.kind === 'message' && <span>{String(e.channel)} “{String(e.subject ?? '')}” <span className={`status status-${String(e.status)}`}>{String(e.status)}</span></span>}
              </li>
            ))}
            {shown.length === 0 && <li className="muted">Nothing here.</li>}
          </ol>
          {data.truncated && <p className="muted small">The oldest entries are not shown (more than 5,000).</p>}
        </section>
      </main>
      {editing && <ContactEditDialog contact={c} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); toast('Contact saved', 'success'); setLoads((n) => n + 1); }} />}
      {erasing && <EraseDialog contact={c} entries={data.entries} programs={inPrograms.length} onClose={() => setErasing(false)} />}
    </div>
  );
}

/** Topics the contact left on the preference page (consent.topics: key → false). */
function topicsLeft(c: Contact): string[] {
  const topics = (c.consent ?? {}).topics;
  return topics && typeof topics === 'object' ? Object.entries(topics as Record<string, unknown>).filter(([, v]) => v === false).map(([k]) => k) : [];
}

/** The score: its latest changes with their reasons, and the points decay will take back, and when. */
function ScorePanel({ contactId, score, changes }: { contactId: string; score: number; changes: TimelineEntry[] }) {
  const [decaying, setDecaying] = useState<{ rule: string; points: number; expiresAt: string }[]>();
  useEffect(() => { api<{ awards: { rule: string; points: number; expiresAt: string }[] }>('GET', `/api/contacts/${contactId}/decaying-points`).then((r) => setDecaying(r.awards), () => setDecaying([])); }, [contactId, score]);
  const props = (e: TimelineEntry) => (e.properties ?? {}) as { delta?: number; reason?: string; score?: number };
  return (
    <>
      <h2 className="section-title">Score <span className="muted small">{score}</span></h2>
      {changes.length === 0 ? <p className="muted">No points yet.</p> : (
        <table className="table compact" aria-label="Score changes"><thead><tr><th>Why</th><th className="num">Points</th><th className="num">Score</th><th>When</th></tr></thead><tbody>
          {changes.slice(0, 10).map((e, i) => { const p = props(e); return <tr key={i} data-testid="score-change"><td>{p.reason ?? '—'}</td><td className="num">{(p.delta ?? 0) > 0 ? `+${p.delta}` : p.delta}</td><td className="num">{p.score}</td><td title={precise(e.at)}>{ago(e.at)}</td></tr>; })}
        </tbody></table>
      )}
      {decaying && decaying.length > 0 && (
        <p className="muted small" data-testid="decaying">Decay takes back {decaying.map((d, i) => <span key={i}>{i > 0 ? ', ' : ''}{d.points} ({d.rule}) <span title={when(d.expiresAt)}>{ago(d.expiresAt)}</span></span>)}.</p>
      )}
    </>
  );
}

function ChangeEntry({ properties, by }: { properties: Record<string, unknown>; by: string }) {
  return (
    <span data-testid="change-entry">Changed by <strong>{by}</strong>:
      <ul className="change-lines">{changeLines(properties).map((l, i) => <li key={i}><span className="muted">{l.what}:</span> {l.from} → <strong>{l.to}</strong></li>)}</ul>
    </span>
  );
}

function EraseDialog({ contact, entries, programs, onClose }: { contact: Contact; entries: TimelineEntry[]; programs: number; onClose: () => void }) {
  const toast = useToast();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const name = contact.email ?? contact.externalId ?? contact.id;
  const n = (k: TimelineEntry['kind']) => entries.filter((e) => e.kind === k).length;
  return (
    <Dialog title={`Erase ${name}?`} onClose={onClose}>
      <p>Everything Tend holds about this person is deleted for good, as a data-erasure request asks:</p>
      <ul data-testid="erase-what">
        <li>their {n('event')} event(s) and {n('message')} message record(s);</li>
        <li>their identities, score awards, segment memberships, RFM and date rows;</li>
        <li>their runs in {programs} program(s) end now, and their workflow histories are deleted;</li>
        <li>the contact itself.</li>
      </ul>
      <p className="muted small">Program counts keep them, anonymised. The audit log keeps that an erasure happened, naming no one.</p>
      <label className="field"><span className="field-label">Type erase to confirm</span><input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" /></label>
      <div className="dialog-actions">
        <button onClick={onClose}>Cancel</button>
        <button className="danger primary" disabled={typed.trim().toLowerCase() !== 'erase' || busy} onClick={async () => {
          setBusy(true);
          try {
            const r = await api<{ erasureId: string }>('DELETE', `/api/contacts/${contact.id}`);
            toast(`${name} was erased (erasure ${r.erasureId})`, 'success');
            navigate('/contacts');
          } catch (e) {
            toast((e as Error).message, 'error');
            setBusy(false);
          }
        }}>Erase for good</button>
      </div>
    </Dialog>
  );
}
