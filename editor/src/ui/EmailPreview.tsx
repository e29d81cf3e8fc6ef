// Live preview of an email node: the server renders the templates (same Handlebars
// environment and layouts as the worker) for a chosen sample contact and their latest
// triggering event; "Send a test" mails that rendering to an address, marked [Test].
import { useEffect, useState } from 'react';
import { api, ApiError, session, type Contact } from '../api.js';

interface Rendered { problems: { path: string; message: string }[]; subject: string; html: string; text: string; contact: { id: string | null; email: string | null }; event: { type: string } | null }

export function EmailPreview({ config, eventType, programName }: { config: Record<string, unknown>; eventType?: string; programName: string }) {
  const [query, setQuery] = useState('');
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [contactId, setContactId] = useState('');
  const [rendered, setRendered] = useState<Rendered>();
  const [error, setError] = useState('');
  const [tab, setTab] = useState<'html' | 'text'>('html');
  const [testTo, setTestTo] = useState(session.person()?.email ?? '');
  const [testState, setTestState] = useState<{ busy: boolean; text: string; ok: boolean }>({ busy: false, text: '', ok: true });
  const sendTest = async () => {
    setTestState({ busy: true, text: '', ok: true });
    try {
      const r = await api<{ to: string; subject: string }>('POST', '/api/flows/preview-email/send', { ...JSON.parse(body), to: testTo.trim() });
      setTestState({ busy: false, text: `Sent “${r.subject}” to ${r.to}`, ok: true });
    } catch (e) {
      setTestState({ busy: false, text: e instanceof ApiError ? e.problems.map((p) => `${p.path.replace(/^\//, '')}: ${p.message}`).join('; ') || e.title : String(e), ok: false });
    }
  };

  useEffect(() => {
    const t = setTimeout(() => {
      api<{ contacts: Contact[] }>('GET', `/api/contacts?limit=20${query.trim() ? `&q=${encodeURIComponent(query.trim())}` : ''}`).then((r) => setContacts(r.contacts)).catch(() => setContacts([]));
    }, 250);
    return () => clearTimeout(t);
  }, [query]);

  const body = JSON.stringify({
    subject: config.subject ?? '', html: config.html ?? '', text: config.text, layout: config.layout,
    contactId: contactId || undefined, eventType, programName,
  });
  useEffect(() => {
    const t = setTimeout(() => {
      api<Rendered>('POST', '/api/flows/preview-email', JSON.parse(body))
        .then((r) => { setRendered(r); setError(r.problems.map((p) => `${p.path.slice(1)}: ${p.message}`).join('\n')); })
        .catch((e) => setError(e instanceof ApiError ? e.problems.map((p) => `${p.path}: ${p.message}`).join('\n') || e.title : String(e)));
    }, 300);
    return () => clearTimeout(t);
  }, [body]);

  return (
    <section className="preview" aria-label="Email preview">
      <h3>Preview</h3>
      <div className="preview-contact">
        <input type="search" placeholder="Find a sample contact" aria-label="Find a sample contact" value={query} onChange={(e) => setQuery(e.target.value)} />
        <select aria-label="Sample contact" value={contactId} onChange={(e) => setContactId(e.target.value)} data-testid="preview-contact">
          <option value="">Sample contact (Ada)</option>
          {contacts.map((c) => <option key={c.id} value={c.id}>{c.email ?? c.externalId ?? c.id}</option>)}
        </select>
      </div>
      {error && <pre className="field-error" role="alert">{error}</pre>}
      {rendered && (
        <>
          <div className="preview-meta">
            <div><span className="muted">To</span> {rendered.contact.email ?? '—'}</div>
            <div><span className="muted">Subject</span> <strong data-testid="preview-subject">{rendered.subject}</strong></div>
            {rendered.event && <div className="muted small">With their latest “{rendered.event.type}” event</div>}
          </div>
          <div className="tabs"><button className={tab === 'html' ? 'on' : ''} onClick={() => setTab('html')}>HTML</button><button className={tab === 'text' ? 'on' : ''} onClick={() => setTab('text')}>Text</button></div>
          {tab === 'html'
            ? <iframe className="preview-frame" title="Email preview" sandbox="" srcDoc={rendered.html} data-testid="preview-frame" />
            : <pre className="preview-text">{rendered.text}</pre>}
          {session.may('write') && (
            <form className="test-send" aria-label="Send a test" onSubmit={(e) => { e.preventDefault(); void sendTest(); }}>
              <input type="email" required aria-label="Send a test to" placeholder="you@example.com" value={testTo} onChange={(e) => setTestTo(e.target.value)} />
              <button type="submit" disabled={testState.busy || !testTo.trim()}>{testState.busy ? 'Sending…' : 'Send a test'}</button>
              {testState.text && <p className={testState.ok ? 'muted small' : 'error small'} role="status" data-testid="test-send-result">{testState.text}</p>}
            </form>
          )}
        </>
      )}
    </section>
  );
}
