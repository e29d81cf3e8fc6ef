// Forms: the list, and a form builder — fields in order (label, the contact attribute
// it fills, type, required, options), what happens after a submission (a thank-you or
// a redirect), progressive profiling, hidden fields — with the real hosted page as
// its preview once saved, the hosted link, the embed snippet and its submissions.
import { useEffect, useState } from 'react';
import { api, problemText, session } from '../api.js';
import { linkTo, navigate } from '../router.js';
import { Dialog } from './Dialog.js';
import { ago, when } from './format.js';
import { TopBar } from './TopBar.js';
import { attributeName } from '../model/names.js';
import { useToast } from './toast.js';
import { HiddenFields, hiddenMap, hiddenRows, type HiddenRow } from './HiddenFields.js';
import { FormSubmissions } from './FormSubmissions.js';
import { FormPopup } from './FormPopup.js';

type FieldType = 'text' | 'email' | 'tel' | 'select' | 'checkbox';
interface Field { name: string; label: string; type: FieldType; required?: boolean; options?: string[] }
interface Form { id: string; name: string; fields: Field[]; hidden?: Record<string, string>; thankYou?: string; redirectUrl?: string; maxFields?: number; submitLabel?: string; doubleOptIn?: boolean; createdAt: string; updatedAt: string }
type Draft = Omit<Form, 'id' | 'createdAt' | 'updatedAt'>;

const TYPES: [FieldType, string][] = [['text', 'Text'], ['email', 'Email'], ['tel', 'Phone'], ['select', 'Choice'], ['checkbox', 'Checkbox']];
const message = (e: unknown) => problemText(e, { paths: true });
/** "First name" → "first_name": the attribute a field's label fills until the person changes it. */
const nameFrom = (label: string) => attributeName(label, 'field');

export function FormsPage() {
  const [forms, setForms] = useState<Form[]>();
  const [error, setError] = useState('');
  useEffect(() => { document.title = 'Forms · Tend'; api<{ forms: Form[] }>('GET', '/api/forms').then((r) => setForms(r.forms), (e) => setError(message(e))); }, []);
  return (
    <div className="page">
      <TopBar current="forms" title="Forms">{session.may('write') && <button className="primary" onClick={() => navigate('/forms/new')}>New form</button>}</TopBar>
      <main className="programs">
        {error ? <p className="error" role="alert">{error}</p> : !forms ? <p className="muted">Loading…</p> : forms.length === 0 ? (
          <div className="empty"><h2>No forms yet</h2><p className="muted">A form turns a visitor into a contact: a hosted page to link to, or a block on your own site. Programs start on its submissions.</p></div>
        ) : (
          <table className="table" aria-label="Forms">
            <thead><tr><th>Name</th><th className="num">Fields</th><th>Hosted page</th><th>Changed</th></tr></thead>
            <tbody>{forms.map((f) => (
              <tr key={f.id} data-testid="form-row">
                <td><a href={`/forms/${f.id}`} onClick={linkTo(`/forms/${f.id}`)}>{f.name}</a></td>
                <td className="num">{f.fields.length}</td>
                <td><a href={`/f/${f.id}`} target="_blank" rel="noreferrer"><code>/f/{f.id.slice(0, 8)}…</code></a></td>
                <td title={when(f.updatedAt)}>{ago(f.updatedAt)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </main>
    </div>
  );
}

const NEW_FORM: Draft = { name: '', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }], submitLabel: 'Sign up', thankYou: 'Thank you!' };

export function FormPage({ formId }: { formId: string }) {
  const toast = useToast();
  const isNew = formId === 'new';
  const [d, setD] = useState<Draft>(NEW_FORM);
  const [saved, setSaved] = useState<Form>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [after, setAfter] = useState<'thanks' | 'redirect'>('thanks');
  const [hidden, setHidden] = useState<HiddenRow[]>([]);
  const [archiving, setArchiving] = useState(false);
  /** Bumped after each save: the preview iframe loads the page again. */
  const [version, setVersion] = useState(0);
  const readOnly = !session.may('write');
  useEffect(() => {
    if (isNew) { document.title = 'New form · Tend'; return; }
    api<Form>('GET', `/api/forms/${formId}`).then((f) => {
      const { id: _i, createdAt: _c, updatedAt: _u, ...draft } = f;
      setD(draft); setSaved(f); setHidden(hiddenRows(f.hidden)); setAfter(f.redirectUrl ? 'redirect' : 'thanks'); document.title = `${f.name} · Tend`;
    }, (e) => setError(message(e)));
  }, [formId, isNew]);

  const setField = (i: number, patch: Partial<Field>) => setD({ ...d, fields: d.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const move = (i: number, by: number) => {
    const fields = [...d.fields];
    const [f] = fields.splice(i, 1);
    fields.splice(i + by, 0, f!);
    setD({ ...d, fields });
  };
  const save = async () => {
    const hiddenFields = hiddenMap(hidden);
    if ('problem' in hiddenFields) { setError(hiddenFields.problem); return; }
    setBusy(true);
    setError('');
    const body: Draft = {
      name: d.name, fields: d.fields.map((f) => ({ name: f.name, label: f.label, type: f.type, ...(f.required ? { required: true } : {}), ...(f.type === 'select' ? { options: f.options ?? [] } : {}) })),
      ...(d.submitLabel ? { submitLabel: d.submitLabel } : {}), ...(d.maxFields ? { maxFields: d.maxFields } : {}), ...(d.doubleOptIn ? { doubleOptIn: true } : {}), ...(Object.keys(hiddenFields.hidden).length ? { hidden: hiddenFields.hidden } : {}),
      ...(after === 'redirect' ? { redirectUrl: d.redirectUrl } : d.thankYou ? { thankYou: d.thankYou } : {}),
    };
    try {
      const f = await api<Form>(isNew ? 'POST' : 'PUT', isNew ? '/api/forms' : `/api/forms/${formId}`, body);
      toast(`Saved “${f.name}”`, 'success');
      if (isNew) navigate(`/forms/${f.id}`);
      else { setSaved(f); setVersion((v) => v + 1); }
    } catch (e) { setError(message(e)); } finally { setBusy(false); }
  };
  const hosted = saved ? `${location.origin}/f/${saved.id}` : '';
  const title = <><a href="/forms" onClick={linkTo('/forms')} className="crumb">Forms</a> / {isNew ? 'New form' : saved?.name ?? '…'}</>;
  // Nothing to edit until the form is here: a change made to the empty form would be overwritten when it arrives.
  if (!isNew && !saved) return <div className="page"><TopBar current="forms" title={title} /><main className="programs">{error ? <p className="error" role="alert">{error}</p> : <p className="muted">Loading…</p>}</main></div>;

  return (
    <div className="page">
      <TopBar current="forms" title={title}>
        {saved && !readOnly && <button className="danger" onClick={() => setArchiving(true)}>Archive…</button>}
        {!readOnly && <button className="primary" data-testid="save-form" disabled={busy || !d.name.trim()} onClick={() => void save()}>{busy ? 'Saving…' : isNew ? 'Create form' : 'Save'}</button>}
      </TopBar>
      <main className="programs segment-editor">
        <section className="profile-card" aria-label="Form">
          <label className="field"><span className="field-label">Name</span><input value={d.name} disabled={readOnly} maxLength={200} placeholder="Newsletter sign-up" onChange={(e) => setD({ ...d, name: e.target.value })} /></label>
          <h3>Fields</h3>
          <ol className="form-fields">
            {d.fields.map((f, i) => (
              <li key={i} data-testid="form-field" className="form-field">
                <input aria-label={`Field ${i + 1}: label`} value={f.label} disabled={readOnly} placeholder="Label"
                  onChange={(e) => setField(i, { label: e.target.value, ...(f.name === nameFrom(f.label) || !f.name ? { name: nameFrom(e.target.value) } : {}) })} />
                <input aria-label={`Field ${i + 1}: attribute`} className="code" value={f.name} disabled={readOnly || f.name === 'email' && f.type === 'email'} title="The contact attribute it fills" onChange={(e) => setField(i, { name: e.target.value })} />
                <select aria-label={`Field ${i + 1}: type`} value={f.type} disabled={readOnly} onChange={(e) => setField(i, { type: e.target.value as FieldType })}>{TYPES.map(([t, l]) => <option key={t} value={t}>{l}</option>)}</select>
                <label className="check small"><input type="checkbox" checked={Boolean(f.required)} disabled={readOnly} onChange={(e) => setField(i, { required: e.target.checked })} /> required</label>
                <span className="field-buttons">
                  <button className="icon" aria-label={`Move field ${i + 1} up`} disabled={readOnly || i === 0} onClick={() => move(i, -1)}>↑</button>
                  <button className="icon" aria-label={`Move field ${i + 1} down`} disabled={readOnly || i === d.fields.length - 1} onClick={() => move(i, 1)}>↓</button>
                  <button className="icon" aria-label={`Remove field ${i + 1}`} disabled={readOnly || d.fields.length === 1} onClick={() => setD({ ...d, fields: d.fields.filter((_, j) => j !== i) })}>✕</button>
                </span>
                {f.type === 'select' && <input aria-label={`Field ${i + 1}: choices`} className="choices" disabled={readOnly} placeholder="Choices, separated by commas" value={(f.options ?? []).join(', ')} onChange={(e) => setField(i, { options: e.target.value.split(',').map((o) => o.trim()).filter(Boolean) })} />}
              </li>
            ))}
          </ol>
          {!readOnly && <button onClick={() => setD({ ...d, fields: [...d.fields, { name: '', label: '', type: 'text' }] })}>+ Field</button>}
          <HiddenFields rows={hidden} onChange={setHidden} readOnly={readOnly} />
          <h3>After a submission</h3>
          <label className="check"><input type="radio" name="after" checked={after === 'thanks'} disabled={readOnly} onChange={() => setAfter('thanks')} /> Say thank you</label>
          {after === 'thanks' && <label className="field"><span className="field-label">Thank-you message</span><input value={d.thankYou ?? ''} disabled={readOnly} maxLength={2000} onChange={(e) => setD({ ...d, thankYou: e.target.value })} /></label>}
          <label className="check"><input type="radio" name="after" checked={after === 'redirect'} disabled={readOnly} onChange={() => setAfter('redirect')} /> Go to a page of yours</label>
          {after === 'redirect' && <label className="field"><span className="field-label">Page address</span><input type="url" value={d.redirectUrl ?? ''} disabled={readOnly} placeholder="https://www.example.com/thanks" onChange={(e) => setD({ ...d, redirectUrl: e.target.value })} /></label>}
          <label className="field"><span className="field-label">Button</span><input value={d.submitLabel ?? ''} disabled={readOnly} maxLength={100} onChange={(e) => setD({ ...d, submitLabel: e.target.value })} /></label>
          <label className="check"><input type="checkbox" checked={d.doubleOptIn ?? false} disabled={readOnly} onChange={(e) => setD({ ...d, doubleOptIn: e.target.checked })} /> Double opt-in: new subscribers get marketing email only after confirming by the link we email them</label>
          <label className="field"><span className="field-label">Ask at most this many fields (progressive profiling: known answers are skipped)</span><input type="number" min={1} max={50} value={d.maxFields ?? ''} disabled={readOnly} placeholder="every field" onChange={(e) => setD({ ...d, maxFields: e.target.value ? Number(e.target.value) : undefined })} /></label>
          {error && <p className="error" role="alert">{error}</p>}
        </section>
        <section aria-label="Preview">
          <h2 className="section-title">The page</h2>
          {!saved ? <p className="muted">Create the form to see its page, its link and the snippet for your site.</p> : (
            <>
              <iframe title="Form preview" className="form-preview" src={`/f/${saved.id}?preview=${version}`} />
              <div className="field"><span className="field-label">Hosted page</span><a href={hosted} target="_blank" rel="noreferrer" data-testid="hosted-link">{hosted}</a></div>
              <div className="field"><span className="field-label">On your site (with the tracking snippet, Settings)</span><pre className="secret" data-testid="embed">{`<div data-tend-form="${saved.id}"></div>`}</pre></div>
            </>
          )}
        </section>
        {saved && <FormPopup formId={saved.id} />}
        {saved && <FormSubmissions formId={saved.id} />}
      </main>
      {archiving && saved && (
        <Dialog title={`Archive “${saved.name}”?`} onClose={() => setArchiving(false)}>
          <p>Its page and embeds answer “not found” from now on; the contacts and events its submissions made stay.</p>
          <div className="dialog-actions"><button onClick={() => setArchiving(false)}>Cancel</button><button className="danger primary" onClick={async () => { try { await api('DELETE', `/api/forms/${saved.id}`); toast(`Archived “${saved.name}”`, 'success'); navigate('/forms'); } catch (e) { toast(message(e), 'error'); } }}>Archive</button></div>
        </Dialog>
      )}
    </div>
  );
}
