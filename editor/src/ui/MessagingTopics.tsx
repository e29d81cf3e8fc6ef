// Subscription topics on the Messages screen: the topics an email node may name and a
// contact may leave one by one on the preference page, with how many left each; add,
// rename, archive (opt-outs keep holding); and the preference page itself, as a
// subscriber sees it, in a sandboxed frame.
import { useCallback, useEffect, useState } from 'react';
import { api, problemText, session } from '../api.js';
import { Dialog } from './Dialog.js';
import { count } from './format.js';
import { keyFrom } from '../model/names.js';
import { useToast } from './toast.js';

interface Topic { key: string; name: string; description: string; optedOut: number }
type Draft = { key: string; name: string; description: string; isNew: boolean };

const message = (e: unknown) => problemText(e, { paths: true });

export function TopicsPanel() {
  const toast = useToast();
  const [topics, setTopics] = useState<Topic[]>();
  const [page, setPage] = useState<string>();
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<Draft>();
  const [archiving, setArchiving] = useState<Topic>();
  const may = session.may('settings');
  const load = useCallback(() => {
    api<{ topics: Topic[] }>('GET', '/api/topics?optOuts=true').then((r) => setTopics(r.topics), (e) => setError(message(e)));
    api<{ html: string }>('GET', '/api/preference-page/preview').then((r) => setPage(r.html), () => undefined);
  }, []);
  useEffect(load, [load]);

  return (
    <div className="topics-panel">
      <section aria-label="Subscription topics">
        <div className="section-head">
          <h2 className="section-title">Subscription topics</h2>
          {may && <button className="primary" onClick={() => setEditing({ key: '', name: '', description: '', isNew: true })}>New topic</button>}
        </div>
        <p className="muted small">A marketing email may name a topic (the email node's Topic): a contact who left that topic on the preference page does not get it, and stays subscribed to the rest.</p>
        {error ? <p className="error" role="alert">{error}</p> : !topics ? <p className="muted">Loading…</p> : topics.length === 0 ? <p className="muted">No topics yet: the preference page offers only "unsubscribe from all".</p> : (
          <table className="table" aria-label="Topics">
            <thead><tr><th>Topic</th><th>Key</th><th className="num">Left it</th><th aria-label="Actions" /></tr></thead>
            <tbody>{topics.map((t) => (
              <tr key={t.key} data-testid="topic-row" data-key={t.key}>
                <td>{t.name}{t.description && <div className="muted small">{t.description}</div>}</td>
                <td><code>{t.key}</code></td>
                <td className="num" data-testid="topic-opted-out">{count(t.optedOut)}</td>
                <td className="actions">{may && <><button onClick={() => setEditing({ ...t, isNew: false })}>Edit</button><button className="danger" onClick={() => setArchiving(t)}>Archive</button></>}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </section>
      <section aria-label="Preference page">
        <h2 className="section-title">The preference page, as a subscriber sees it</h2>
        {page ? <iframe className="preview-frame page-frame" title="Preference page preview" sandbox="" srcDoc={page} data-testid="preference-frame" /> : <p className="muted">Loading…</p>}
      </section>
      {editing && <TopicDialog draft={editing} onClose={() => setEditing(undefined)} onSaved={(t) => { setEditing(undefined); toast(`Saved “${t.name}”`, 'success'); load(); }} />}
      {archiving && (
        <Dialog title={`Archive “${archiving.name}”?`} onClose={() => setArchiving(undefined)}>
          <p>It leaves the preference page. The {count(archiving.optedOut)} contact(s) who left it stay out of emails that still name it.</p>
          <div className="dialog-actions"><button onClick={() => setArchiving(undefined)}>Cancel</button>
            <button className="danger primary" onClick={async () => { try { await api('DELETE', `/api/topics/${archiving.key}`); } catch (e) { toast(message(e), 'error'); } setArchiving(undefined); load(); }}>Archive</button></div>
        </Dialog>
      )}
    </div>
  );
}

function TopicDialog({ draft, onClose, onSaved }: { draft: Draft; onClose: () => void; onSaved: (t: Topic) => void }) {
  const [d, setD] = useState(draft);
  const [keyTouched, setKeyTouched] = useState(!draft.isNew);
  const [error, setError] = useState('');
  const key = keyTouched ? d.key : keyFrom(d.name, 40);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      onSaved(d.isNew
        ? await api<Topic>('POST', '/api/topics', { key, name: d.name, ...(d.description ? { description: d.description } : {}) })
        : await api<Topic>('PUT', `/api/topics/${d.key}`, { name: d.name, description: d.description }));
    } catch (err) { setError(message(err)); }
  };
  return (
    <Dialog title={d.isNew ? 'New topic' : `Edit “${draft.name}”`} onClose={onClose}>
      <form className="rule-form" onSubmit={(e) => void save(e)}>
        <label className="field"><span className="field-label">Name (the contact reads it)</span><input value={d.name} maxLength={100} required placeholder="Product news" onChange={(e) => setD({ ...d, name: e.target.value })} /></label>
        <label className="field"><span className="field-label">Key</span><input className="code" value={key} disabled={!d.isNew} maxLength={40} onChange={(e) => { setKeyTouched(true); setD({ ...d, key: e.target.value }); }} /></label>
        <label className="field"><span className="field-label">Description (one line under the name)</span><input value={d.description} maxLength={500} onChange={(e) => setD({ ...d, description: e.target.value })} /></label>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="dialog-actions"><button type="button" onClick={onClose}>Cancel</button><button className="primary" type="submit">Save</button></div>
      </form>
    </Dialog>
  );
}
