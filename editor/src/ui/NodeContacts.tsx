// On a live program: the contacts waiting at a node, and one contact's timeline
// through the program.
import { useEffect, useState } from 'react';
import { api, download, session, type Contact, type Enrollment, type TimelineEntry } from '../api.js';
import { ago, precise, when } from './format.js';
import { formatValue } from '../model/summary.js';
import { Dialog } from './Dialog.js';

export function NodeContacts({ programId, nodeId, refresh, nodeTitle }: { programId: string; nodeId: string; refresh: number; nodeTitle: (id: string) => string }) {
  const [rows, setRows] = useState<Enrollment[]>();
  const [open, setOpen] = useState<Enrollment>();
  useEffect(() => {
    api<{ enrollments: Enrollment[] }>('GET', `/api/flows/${programId}/enrollments?node=${encodeURIComponent(nodeId)}&limit=100`).then((r) => setRows(r.enrollments)).catch(() => setRows([]));
  }, [programId, nodeId, refresh]);
  return (
    <section className="contacts-here">
      <h3>Contacts here now {rows && <span className="muted">({rows.length}{rows.length === 100 ? '+' : ''})</span>}</h3>
      {!rows ? <p className="muted small">Loading…</p> : rows.length === 0 ? <p className="muted small">Nobody is at this step right now.</p> : (
        <ul className="contact-list">
          {rows.map((r) => (
            <li key={r.id}>
              <button className="link" onClick={() => setOpen(r)} data-testid="contact-here">{r.email ?? r.externalId ?? r.contactId}</button>
              <span className="muted small">{r.key ? `${r.key} · ` : ''}v{r.version} · entered {ago(r.enteredAt)}{r.wakeAt ? ` · moves on ${ago(r.wakeAt)}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
      {open && <Timeline contactId={open.contactId} programId={programId} nodeTitle={nodeTitle} onClose={() => setOpen(undefined)} />}
    </section>
  );
}

function Timeline({ contactId, programId, nodeTitle, onClose }: { contactId: string; programId: string; nodeTitle: (id: string) => string; onClose: () => void }) {
  const [data, setData] = useState<{ contact: Contact; entries: TimelineEntry[] }>();
  const [all, setAll] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => { api<{ contact: Contact; entries: TimelineEntry[] }>('GET', `/api/contacts/${contactId}/timeline`).then(setData).catch(() => undefined); }, [contactId]);
  const entries = (data?.entries ?? []).filter((e) => all || e.kind === 'event' || e.programId === programId);
  return (
    <Dialog title={`Timeline of ${data?.contact.email ?? data?.contact.externalId ?? 'contact'}`} onClose={onClose} wide>
      {data && (
        <div className="timeline-contact muted small">Score {data.contact.score}{data.contact.tags.length ? ` · tags ${data.contact.tags.join(', ')}` : ''}</div>
      )}
      <div className="timeline-tools">
        <label className="check small"><input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Include other programs</label>
        <div className="spacer" />
        {/* Everything Tend holds about the person, as JSON: what a data-access request asks for. Recorded in the audit log. */}
        <button data-testid="export-contact" disabled={!session.may('export')} title={session.may('export') ? 'Download everything Tend holds about this contact, as JSON' : `A ${session.person()?.role ?? 'viewer'} may not export a contact's personal data`}
          onClick={() => void download(`/api/contacts/${contactId}/export`, 'contact.json').catch((e: Error) => setError(e.message))}>Export personal data</button>
      </div>
      {!session.may('export') && <p className="muted small" data-testid="export-refused">A {session.person()?.role ?? 'viewer'} may not export a contact's personal data.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <ol className="timeline" data-testid="timeline">
        {entries.map((e, i) => (
          <li key={i} className={`tl-${e.kind}`}>
            <time title={e.at}>{precise(e.at)}</time>
            {e.kind === 'event' && <span>Event <strong>{String(e.type)}</strong> <span className="muted small">{propertiesLine(e.properties)}</span></span>}
            {e.kind === 'node' && <span>{e.programId === programId ? nodeTitle(String(e.node)) : `Node ${String(e.node)}`} <span className={`status status-${String(e.status)}`}>{String(e.status)}</span>{e.port ? <> → {String(e.port)}</> : null}{e.wakeAt ? <span className="muted"> until {when(String(e.wakeAt))}</span> : null}{e.error ? <span className="error"> {String(e.error)}</span> : null}</span>}
            {e.kind === 'message' && <span>{String(e.channel)} “{String(e.subject ?? '')}” <span className={`status status-${String(e.status)}`}>{String(e.status)}</span>{e.reason ? <span className="muted"> {String(e.reason)}</span> : null}</span>}
          </li>
        ))}
        {data && entries.length === 0 && <li className="muted">Nothing yet.</li>}
      </ol>
    </Dialog>
  );
}

/** "cart_id B · total 40": the first few properties of an event, for the timeline. */
function propertiesLine(props: unknown): string {
  if (!props || typeof props !== 'object') return '';
  return Object.entries(props as Record<string, unknown>).slice(0, 4).map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.length}]` : formatValue(v)}`).join(' · ');
}
