// Segments: saved conditions over contacts with live membership. The list shows each
// with its size; a segment is built with the program editor's condition builder (what
// a segment may read: the contact and their past events), with a live count and sample
// as the condition changes, and its members a page at a time.
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, session, type Contact } from '../api.js';
import { SEGMENT_SCOPE } from '../model/condition-query.js';
import { keyFrom } from '../model/names.js';
import { linkTo, navigate } from '../router.js';
import { ConditionBuilder } from './ConditionBuilder.js';
import { SegmentSizes, SegmentUsers, useSegmentUsers } from './SegmentInsights.js';
import { forgetCatalogue } from './useCatalogue.js';
import { ago, count, when } from './format.js';
import { TopBar } from './TopBar.js';
import { Dialog } from './Dialog.js';
import { useToast } from './toast.js';

interface Segment { id: string; key: string; name: string; description: string; condition: unknown; members: number; createdAt: string; updatedAt: string }
type Problem = { path: string; message: string };


export function SegmentsPage() {
  const [segments, setSegments] = useState<Segment[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    document.title = 'Segments · Tend';
    api<{ segments: Segment[] }>('GET', '/api/segments').then((r) => setSegments(r.segments), (e: Error) => setError(e.message));
  }, []);
  return (
    <div className="page">
      <TopBar current="segments" title="Segments">
        {session.may('write') && <button className="primary" onClick={() => navigate('/segments/new')}>New segment</button>}
      </TopBar>
      <main className="programs">
        {error ? <p className="error" role="alert">{error}</p> : !segments ? <p className="muted">Loading…</p> : segments.length === 0 ? (
          <div className="empty"><h2>No segments yet</h2><p className="muted">A segment is a group of contacts a condition picks — "VIPs", "spent over 100 in 30 days" — kept up to date as their data changes. Programs start when someone enters or leaves one.</p></div>
        ) : (
          <table className="table" aria-label="Segments">
            <thead><tr><th>Name</th><th>Key</th><th className="num">Contacts</th><th>Last change</th></tr></thead>
            <tbody>
              {segments.map((s) => (
                <tr key={s.id} data-testid="segment-row">
                  <td><a href={`/segments/${s.id}`} onClick={linkTo(`/segments/${s.id}`)}>{s.name}</a>{s.description && <div className="muted small">{s.description}</div>}</td>
                  <td><code>{s.key}</code></td>
                  <td className="num">{count(s.members)}</td>
                  <td title={when(s.updatedAt)}>{ago(s.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </div>
  );
}

/** "Big spenders (EU)" → "big-spenders-eu": a key as the server accepts it. */
const SEGMENT_KEY_LENGTH = 63;

export function SegmentPage({ segmentId }: { segmentId: string }) {
  const toast = useToast();
  const isNew = segmentId === 'new';
  const [saved, setSaved] = useState<Segment>();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [description, setDescription] = useState('');
  const [condition, setCondition] = useState<unknown>({ all: [] });
  const [preview, setPreview] = useState<{ count: number; sample: Contact[] }>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const readOnly = !session.may('write');

  useEffect(() => {
    if (isNew) { document.title = 'New segment · Tend'; return; }
    api<Segment>('GET', `/api/segments/${segmentId}`).then((s) => {
      setSaved(s); setName(s.name); setKey(s.key); setKeyTouched(true); setDescription(s.description); setCondition(s.condition);
      document.title = `${s.name} · Tend`;
    }, (e: Error) => setError(e.message));
  }, [segmentId, isNew]);

  // The count and a sample follow the condition as it is built (a pause after the last change).
  const conditionJson = JSON.stringify(condition);
  useEffect(() => {
    const t = setTimeout(() => {
      api<{ count: number; sample: Contact[] }>('POST', '/api/segments/preview', { condition, sample: 5 }).then((p) => { setPreview(p); setProblems([]); }, (e) => {
        setPreview(undefined);
        setProblems(e instanceof ApiError ? e.problems.map((p) => ({ path: p.path.replace(/^\/condition/, ''), message: p.message })) : [{ path: '', message: (e as Error).message }]);
      });
    }, 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conditionJson]);

  const save = async () => {
    setBusy(true);
    try {
      const body = { key: keyTouched ? key : keyFrom(name, SEGMENT_KEY_LENGTH), name, description, condition };
      const s = isNew ? await api<Segment>('POST', '/api/segments', body) : await api<Segment>('PUT', `/api/segments/${segmentId}`, body);
      toast(`Saved “${s.name}”: ${count(s.members)} contact(s) in it now`, 'success');
      forgetCatalogue(); // programs' segment pickers offer it at once
      if (isNew) navigate(`/segments/${s.id}`);
      else { setSaved(s); }
    } catch (e) {
      toast(e instanceof ApiError ? `${e.title}: ${e.problems.map((p) => `${p.path} ${p.message}`).join('; ')}` : (e as Error).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  const [deleting, setDeleting] = useState(false);
  const users = useSegmentUsers(saved?.id);
  const remove = async () => {
    if (!saved) return;
    try { await api('DELETE', `/api/segments/${saved.id}`); forgetCatalogue(); toast(`Deleted “${saved.name}”`, 'success'); navigate('/segments'); } catch (e) { toast((e as Error).message, 'error'); }
  };

  const title = <><a href="/segments" onClick={linkTo('/segments')} className="crumb">Segments</a> / {isNew ? 'New segment' : saved?.name ?? '…'}</>;
  if (error) return <div className="page"><TopBar current="segments" title={title} /><main className="programs"><p className="error" role="alert">{error}</p></main></div>;
  // Nothing to edit until the segment is here: a change made to the empty form would be overwritten when it arrives.
  if (!isNew && !saved) return <div className="page"><TopBar current="segments" title={title} /><main className="programs"><p className="muted">Loading…</p></main></div>;
  return (
    <div className="page">
      <TopBar current="segments" title={title}>
        {saved && !readOnly && <button className="danger" onClick={() => setDeleting(true)}>Delete…</button>}
        {!readOnly && <button className="primary" disabled={busy || !name.trim() || problems.length > 0} onClick={() => void save()} data-testid="save-segment">{busy ? 'Saving…' : isNew ? 'Create segment' : 'Save'}</button>}
      </TopBar>
      <main className="programs segment-editor">
        <section className="profile-card" aria-label="Segment">
          <label className="field"><span className="field-label">Name</span><input value={name} disabled={readOnly} maxLength={200} onChange={(e) => setName(e.target.value)} placeholder="VIPs" /></label>
          <div className="field">
            <label className="field-label" htmlFor="segment-key">Key</label>
            <input id="segment-key" aria-describedby="segment-key-help" value={keyTouched ? key : keyFrom(name, SEGMENT_KEY_LENGTH)} disabled={readOnly} maxLength={SEGMENT_KEY_LENGTH} onChange={(e) => { setKeyTouched(true); setKey(e.target.value); }} className="code" />
            <span id="segment-key-help" className="field-help muted small">What programs and conditions name it by (<code>contact.segments</code>); lower case, digits, - and _.</span>
          </div>
          <label className="field"><span className="field-label">Description</span><textarea rows={2} value={description} disabled={readOnly} maxLength={2000} onChange={(e) => setDescription(e.target.value)} /></label>
          <h3>Who is in it</h3>
          <ConditionBuilder id="segment-condition" value={condition} onChange={setCondition} readOnly={readOnly} problems={problems} scope={SEGMENT_SCOPE} />
        </section>
        <section aria-label="Preview">
          <h2 className="section-title">Matches now</h2>
          {preview ? (
            <>
              <p className="preview-count" data-testid="segment-preview-count"><strong>{count(preview.count)}</strong> contact{preview.count === 1 ? '' : 's'}</p>
              <ul className="contact-list" aria-label="Sample">
                {preview.sample.map((c) => <li key={c.id}><a href={`/contacts/${c.id}`} onClick={linkTo(`/contacts/${c.id}`)}>{c.email ?? c.externalId ?? c.id}</a></li>)}
              </ul>
            </>
          ) : <p className="muted">{problems.length ? 'Fix the condition to see who it picks.' : 'Counting…'}</p>}
          {saved && <Members segment={saved} />}
          {saved && <SegmentSizes segmentId={saved.id} version={saved} />}
          {saved && <SegmentUsers users={users} />}
        </section>
      </main>
      {deleting && saved && (
        <Dialog title={`Delete “${saved.name}”?`} onClose={() => setDeleting(false)}>
          <p>Its {count(saved.members)} member(s) stay contacts; programs that start when someone enters or leaves it stop starting, and conditions that name <code>{saved.key}</code> find nobody in it.</p>
          {users && users.length > 0 && <p data-testid="delete-users"><strong>{users.length} program(s) use it:</strong> {users.map((u) => u.name).join(', ')}.</p>}
          <div className="dialog-actions"><button onClick={() => setDeleting(false)}>Cancel</button><button className="danger primary" onClick={() => void remove()}>Delete</button></div>
        </Dialog>
      )}
    </div>
  );
}

function Members({ segment }: { segment: Segment }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ count: number; contacts: Contact[] }>();
  useEffect(() => { api<{ count: number; contacts: Contact[] }>('GET', `/api/segments/${segment.id}/members?limit=20&offset=${offset}`).then(setPage, () => undefined); }, [segment, offset]);
  const range = useMemo(() => (page ? `${page.contacts.length ? offset + 1 : 0}–${offset + page.contacts.length} of ${count(page.count)}` : ''), [page, offset]);
  return (
    <>
      <h2 className="section-title">Members (saved) <span className="muted small">{page ? count(page.count) : ''}</span></h2>
      {page && page.contacts.length === 0 ? <p className="muted">Nobody yet.</p> : (
        <ul className="contact-list" aria-label="Members" data-testid="segment-members">
          {page?.contacts.map((c) => <li key={c.id}><a href={`/contacts/${c.id}`} onClick={linkTo(`/contacts/${c.id}`)}>{c.email ?? c.externalId ?? c.id}</a></li>)}
        </ul>
      )}
      {page && page.count > 20 && (
        <div className="row more pager"><button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 20))}>Previous</button><span className="muted small">{range}</span><button disabled={offset + 20 >= page.count} onClick={() => setOffset(offset + 20)}>Next</button></div>
      )}
    </>
  );
}
