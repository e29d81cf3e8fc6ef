// A form's pop-up: whether t.js shows it by itself on the site, as a modal or a
// slide-in, on exit intent, scroll depth, time on page or the N-th page view, only on
// some pages, only to chosen segments, and how long a browser is left alone after
// closing or submitting it. Saved on its own (PUT /api/forms/:id/popup).
import { useEffect, useState } from 'react';
import { api, ApiError, problemText, session } from '../api.js';
import { useToast } from './toast.js';

type Trigger = 'exit-intent' | 'scroll' | 'time' | 'page-views';
interface Popup { style: 'modal' | 'slide-in'; trigger: Trigger; threshold?: number; hideDaysAfterClose: number; hideDaysAfterSubmit: number; segments: string[]; pages?: string; active: boolean }

const TRIGGERS: [Trigger, string, string][] = [
  ['exit-intent', 'When the visitor is about to leave', ''],
  ['scroll', 'After scrolling', '% of the page'],
  ['time', 'After time on the page', 'seconds'],
  ['page-views', 'From the Nth page view', 'page views'],
];
const DEFAULTS: Record<Trigger, number | undefined> = { 'exit-intent': undefined, scroll: 50, time: 20, 'page-views': 3 };
const NEW_POPUP: Popup = { style: 'modal', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: [], active: true };

export function FormPopup({ formId }: { formId: string }) {
  const toast = useToast();
  const [popup, setPopup] = useState<Popup>();
  const [exists, setExists] = useState(false);
  const [segments, setSegments] = useState<{ key: string; name: string }[]>([]);
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const readOnly = !session.may('write');
  useEffect(() => {
    api<{ popup: Popup | null }>('GET', `/api/forms/${formId}/popup`).then((r) => { setPopup(r.popup ?? undefined); setExists(Boolean(r.popup)); }, () => setPopup(undefined));
    api<{ segments: { key: string; name: string }[] }>('GET', '/api/segments').then((r) => setSegments(r.segments), () => undefined);
  }, [formId]);
  const save = async (p: Popup) => {
    setProblems([]);
    try {
      const { style, trigger, threshold, hideDaysAfterClose, hideDaysAfterSubmit, segments: chosen, pages, active } = p;
      setPopup((await api<{ popup: Popup }>('PUT', `/api/forms/${formId}/popup`, { style, trigger, ...(trigger === 'exit-intent' ? {} : { threshold }), hideDaysAfterClose, hideDaysAfterSubmit, segments: chosen, ...(pages ? { pages } : {}), active })).popup);
      setExists(true);
      toast('Pop-up saved: pages show it within 10 seconds', 'success');
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.problems);
      toast(problemText(e, { paths: true }), 'error');
    }
  };
  const remove = async () => {
    try { await api('DELETE', `/api/forms/${formId}/popup`); setExists(false); setPopup(undefined); toast('The form is no longer a pop-up', 'success'); } catch (e) { toast(problemText(e), 'error'); }
  };
  const errorAt = (prefix: string) => problems.filter((p) => p.path.startsWith(prefix)).map((p) => <p key={p.path} className="error small">{p.message}</p>);
  if (!popup) {
    return (
      <section aria-label="Pop-up" className="profile-card">
        <h2 className="section-title">Pop-up</h2>
        <p className="muted">Show this form by itself on your site (pages with the tracking snippet), as a pop-up or a slide-in.</p>
        {!readOnly && <button onClick={() => setPopup(NEW_POPUP)}>Show as a pop-up…</button>}
      </section>
    );
  }
  const set = (patch: Partial<Popup>) => setPopup({ ...popup, ...patch });
  const unit = TRIGGERS.find((t) => t[0] === popup.trigger)![2];
  return (
    <section aria-label="Pop-up" className="profile-card">
      <h2 className="section-title">Pop-up</h2>
      <label className="check"><input type="checkbox" checked={popup.active} disabled={readOnly} onChange={(e) => set({ active: e.target.checked })} /> Shown on the site</label>
      <label className="field"><span className="field-label">How</span>
        <select value={popup.style} disabled={readOnly} onChange={(e) => set({ style: e.target.value as Popup['style'] })}><option value="modal">Pop-up in the middle</option><option value="slide-in">Slide-in at the bottom right</option></select>
      </label>
      <label className="field"><span className="field-label">When</span>
        <select value={popup.trigger} disabled={readOnly} onChange={(e) => { const t = e.target.value as Trigger; set({ trigger: t, threshold: DEFAULTS[t] }); }}>{TRIGGERS.map(([t, label]) => <option key={t} value={t}>{label}</option>)}</select>
      </label>
      {popup.trigger !== 'exit-intent' && (
        <label className="field"><span className="field-label">{unit}</span><input type="number" min={1} value={popup.threshold ?? ''} disabled={readOnly} onChange={(e) => set({ threshold: e.target.value ? Number(e.target.value) : undefined })} /></label>
      )}
      {errorAt('/threshold')}
      <label className="field"><span className="field-label">Only on pages (optional, * for any characters)</span><input className="code" value={popup.pages ?? ''} disabled={readOnly} placeholder="/blog/*" maxLength={500} onChange={(e) => set({ pages: e.target.value || undefined })} /></label>
      <fieldset className="field">
        <legend className="field-label">Only to visitors in (none ticked: everyone)</legend>
        {segments.length === 0 ? <p className="muted small">No segments yet.</p> : segments.map((s) => (
          <label key={s.key} className="check"><input type="checkbox" checked={popup.segments.includes(s.key)} disabled={readOnly}
            onChange={(e) => set({ segments: e.target.checked ? [...popup.segments, s.key] : popup.segments.filter((k) => k !== s.key) })} /> {s.name}</label>
        ))}
      </fieldset>
      {errorAt('/segments')}
      <div className="inline-fields">
        <label className="field"><span className="field-label">Not again for (days) after a close</span><input type="number" min={0} max={365} value={popup.hideDaysAfterClose} disabled={readOnly} onChange={(e) => set({ hideDaysAfterClose: Number(e.target.value) })} /></label>
        <label className="field"><span className="field-label">after a submit</span><input type="number" min={0} max={3650} value={popup.hideDaysAfterSubmit} disabled={readOnly} onChange={(e) => set({ hideDaysAfterSubmit: Number(e.target.value) })} /></label>
      </div>
      {errorAt('/hideDays')}
      {!readOnly && (
        <div className="inline-fields">
          <button className="primary" data-testid="save-popup" onClick={() => void save(popup)}>Save pop-up</button>
          {exists ? <button className="danger" onClick={() => void remove()}>Stop showing it</button> : <button onClick={() => setPopup(undefined)}>Cancel</button>}
        </div>
      )}
    </section>
  );
}
