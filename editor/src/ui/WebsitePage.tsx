// Website: the content slots of the customer's site (`<div data-tend-slot="key">`), and
// a slot's editor — its default for visitors no variant picks, its variants in order
// with who sees each, what was kept of their HTML once saved, and each variant's
// impressions and clicks.
import { useEffect, useState } from 'react';
import { api, problemText, session, ApiError } from '../api.js';
import { linkTo, navigate } from '../router.js';
import { keyFrom } from '../model/names.js';
import { Dialog } from './Dialog.js';
import { ago, count, when } from './format.js';
import { TopBar } from './TopBar.js';
import { useToast } from './toast.js';
import { ContentVariants, HtmlPreview, type Variant } from './ContentVariants.js';

interface Slot { id: string; key: string; name: string; defaultHtml: string | null; variants: Variant[]; createdAt: string; updatedAt: string }
interface Figures { variant: string; shown: number; clicked: number }
type Problem = { path: string; message: string };

const SLOT_KEY_LENGTH = 63;

export function WebsitePage() {
  const [slots, setSlots] = useState<Slot[]>();
  const [error, setError] = useState('');
  useEffect(() => { document.title = 'Website · Tend'; api<{ contentSlots: Slot[] }>('GET', '/api/content-slots').then((r) => setSlots(r.contentSlots), (e) => setError(problemText(e))); }, []);
  return (
    <div className="page">
      <TopBar current="website" title="Website">{session.may('write') && <button className="primary" onClick={() => navigate('/website/new')}>New content slot</button>}</TopBar>
      <main className="programs">
        {error ? <p className="error" role="alert">{error}</p> : !slots ? <p className="muted">Loading…</p> : slots.length === 0 ? (
          <div className="empty"><h2>No content slots yet</h2><p className="muted">A content slot is a block of your site — a hero, a call to action — that shows each visitor what fits them: VIPs one offer, new leads another, strangers the default. Put <code>{'<div data-tend-slot="hero">…</div>'}</code> on a page with the tracking snippet.</p></div>
        ) : (
          <table className="table" aria-label="Content slots">
            <thead><tr><th>Name</th><th>Key</th><th className="num">Variants</th><th>Changed</th></tr></thead>
            <tbody>{slots.map((s) => (
              <tr key={s.id} data-testid="content-slot-row">
                <td><a href={`/website/${s.id}`} onClick={linkTo(`/website/${s.id}`)}>{s.name}</a></td>
                <td><code>{s.key}</code></td>
                <td className="num">{s.variants.length}</td>
                <td title={when(s.updatedAt)}>{ago(s.updatedAt)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </main>
    </div>
  );
}

export function ContentSlotPage({ slotId }: { slotId: string }) {
  const toast = useToast();
  const isNew = slotId === 'new';
  const [saved, setSaved] = useState<Slot>();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [defaultHtml, setDefaultHtml] = useState('');
  const [variants, setVariants] = useState<Variant[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const readOnly = !session.may('write');
  const load = (s: Slot) => { setSaved(s); setName(s.name); setKey(s.key); setKeyTouched(true); setDefaultHtml(s.defaultHtml ?? ''); setVariants(s.variants); document.title = `${s.name} · Tend`; };
  useEffect(() => {
    if (isNew) { document.title = 'New content slot · Tend'; return; }
    api<Slot>('GET', `/api/content-slots/${slotId}`).then(load, (e) => setError(problemText(e)));
  }, [slotId, isNew]);

  const save = async () => {
    setBusy(true);
    setProblems([]);
    const body = { key: keyTouched ? key : keyFrom(name, SLOT_KEY_LENGTH), name, defaultHtml: defaultHtml.trim() ? defaultHtml : null, variants };
    try {
      const s = await api<Slot>(isNew ? 'POST' : 'PUT', isNew ? '/api/content-slots' : `/api/content-slots/${slotId}`, body);
      // What was saved is what visitors get: HTML outside the allow-list is gone from it.
      toast(`Saved “${s.name}”: pages show it within 10 seconds`, 'success');
      if (isNew) navigate(`/website/${s.id}`);
      else load(s);
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.problems);
      toast(problemText(e, { paths: true }), 'error');
    } finally { setBusy(false); }
  };
  const shownKey = keyTouched ? key : keyFrom(name, SLOT_KEY_LENGTH);
  const problemAt = (path: string) => problems.filter((p) => p.path === path).map((p) => <p key={p.message} className="error small">{p.message}</p>);
  const title = <><a href="/website" onClick={linkTo('/website')} className="crumb">Website</a> / {isNew ? 'New content slot' : saved?.name ?? '…'}</>;
  if (error) return <div className="page"><TopBar current="website" title={title} /><main className="programs"><p className="error" role="alert">{error}</p></main></div>;
  // Nothing to edit until the slot is here: a change made to the empty form would be overwritten when it arrives.
  if (!isNew && !saved) return <div className="page"><TopBar current="website" title={title} /><main className="programs"><p className="muted">Loading…</p></main></div>;
  return (
    <div className="page">
      <TopBar current="website" title={title}>
        {saved && !readOnly && <button className="danger" onClick={() => setArchiving(true)}>Archive…</button>}
        {!readOnly && <button className="primary" data-testid="save-content-slot" disabled={busy || !name.trim()} onClick={() => void save()}>{busy ? 'Saving…' : isNew ? 'Create content slot' : 'Save'}</button>}
      </TopBar>
      <main className="programs segment-editor">
        <section aria-label="Content slot">
          <div className="profile-card">
            <label className="field"><span className="field-label">Name</span><input value={name} disabled={readOnly} maxLength={200} placeholder="Home page hero" onChange={(e) => setName(e.target.value)} /></label>
            <div className="field">
              <label className="field-label" htmlFor="slot-key">Key</label>
              <input id="slot-key" className="code" value={shownKey} disabled={readOnly} maxLength={SLOT_KEY_LENGTH} onChange={(e) => { setKeyTouched(true); setKey(e.target.value); }} />
              {problemAt('/key')}
              <span className="field-help muted small">On your site, on a page with the tracking snippet: <code data-testid="slot-snippet">{`<div data-tend-slot="${shownKey || 'key'}">your default</div>`}</code></span>
            </div>
            <label className="field"><span className="field-label">Default (visitors no variant picks, strangers too; empty: the page keeps its own content)</span>
              <textarea aria-label="Default HTML" className="code" rows={3} value={defaultHtml} disabled={readOnly} maxLength={20000} onChange={(e) => setDefaultHtml(e.target.value)} />
            </label>
            {defaultHtml.trim() && <HtmlPreview html={defaultHtml} title="Default preview" />}
            <p className="muted small">HTML may hold text, headings, links, lists, images and buttons (<code>data-tend-cta="name"</code> counts clicks); scripts, styles, frames, forms and event handlers are removed on save.</p>
          </div>
          <h2 className="section-title">Variants <span className="muted small">the first whose condition holds is shown</span></h2>
          <ContentVariants variants={variants} onChange={setVariants} readOnly={readOnly} problems={problems} />
        </section>
        <section aria-label="Results">{saved ? <SlotFigures slot={saved} /> : <p className="muted">Create the slot to see its impressions and clicks.</p>}</section>
      </main>
      {archiving && saved && (
        <Dialog title={`Archive “${saved.name}”?`} onClose={() => setArchiving(false)}>
          <p>Pages with <code>{saved.key}</code> keep their own content from now on; the impressions and clicks on contacts' timelines stay.</p>
          <div className="dialog-actions"><button onClick={() => setArchiving(false)}>Cancel</button><button className="danger primary" onClick={async () => { try { await api('DELETE', `/api/content-slots/${saved.id}`); toast(`Archived “${saved.name}”`, 'success'); navigate('/website'); } catch (e) { toast(problemText(e), 'error'); } }}>Archive</button></div>
        </Dialog>
      )}
    </div>
  );
}

/** Impressions and clicks per variant over 30 days, and the click rate. */
function SlotFigures({ slot }: { slot: Slot }) {
  const [figures, setFigures] = useState<Figures[]>();
  useEffect(() => { api<{ variants: Figures[] }>('GET', `/api/content-slots/${slot.id}/stats?days=30`).then((r) => setFigures(r.variants), () => setFigures([])); }, [slot]);
  const byKey = new Map((figures ?? []).map((f) => [f.variant, f]));
  const rows = [...slot.variants.map((v) => ({ key: v.key, name: v.name })), { key: 'default', name: 'Default' }];
  return (
    <>
      <h2 className="section-title">Last 30 days</h2>
      <table className="table" aria-label="Variant results">
        <thead><tr><th>Variant</th><th className="num">Shown</th><th className="num">Clicked</th><th className="num">Click rate</th></tr></thead>
        <tbody>{rows.map((r) => {
          const f = byKey.get(r.key);
          return (
            <tr key={r.key} data-testid="variant-figures">
              <td>{r.name} <code className="muted small">{r.key}</code></td>
              <td className="num">{count(f?.shown ?? 0)}</td>
              <td className="num">{count(f?.clicked ?? 0)}</td>
              <td className="num">{f?.shown ? `${((100 * f.clicked) / f.shown).toFixed(1)} %` : '—'}</td>
            </tr>
          );
        })}</tbody>
      </table>
    </>
  );
}
