// One landing page: its name and address, its variants (each a name, a weight in the
// split and its blocks), what counts as a conversion and how sure the test must be, and
// once saved the results and a preview of each saved variant (nothing recorded), in a
// frame here or at the page's own address by a signed link that lasts an hour.
// Publishing puts it at /p/:slug; archiving takes it down.
import { useEffect, useState } from 'react';
import { api, problemText, session, ApiError } from '../api.js';
import { linkTo, navigate } from '../router.js';
import { keyFrom } from '../model/names.js';
import { Dialog } from './Dialog.js';
import { TopBar } from './TopBar.js';
import { useToast } from './toast.js';
import { LandingBlocks } from './LandingBlocks.js';
import { LandingResults } from './LandingResults.js';
import { buttonChoices, withButtonIds, type Goal, type LandingPage, type Problem, type Variant } from './landing-types.js';

const SLUG_LENGTH = 63;
const CONFIDENCES = [0.9, 0.95, 0.99];
const letter = (i: number) => String.fromCharCode(65 + i);

export function LandingPageScreen({ pageId }: { pageId: string }) {
  const toast = useToast();
  const isNew = pageId === 'new';
  const [saved, setSaved] = useState<LandingPage>();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [variants, setVariants] = useState<Variant[]>([{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: '', level: 1 }] }]);
  const [goal, setGoal] = useState<Goal>({ kind: 'form', withinDays: 7 });
  const [confidence, setConfidence] = useState(0.95);
  const [minSample, setMinSample] = useState(100);
  const [requireConsent, setRequireConsent] = useState(false);
  const [forms, setForms] = useState<{ id: string; name: string }[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const [preview, setPreview] = useState<{ name: string; html: string }>();
  /** The saved variant as a visitor would see it, in an empty-sandbox frame: no script, no form sent, no view recorded. */
  const openPreview = async (v: Variant) => {
    try {
      const shown = await api<{ html: string }>('GET', `/api/landing-pages/${saved!.id}/preview?variant=${encodeURIComponent(v.key)}`);
      setPreview({ name: v.name, html: shown.html });
    } catch (e) { toast(problemText(e), 'error'); }
  };
  /**
   * The saved variant (default the first) at /p/:slug?preview=…, in a new tab. The tab
   * is opened at once, before the link is asked for, so no pop-up blocker stops it.
   */
  const openPreviewLink = async (variant?: string) => {
    const tab = window.open('about:blank', '_blank');
    try {
      const link = await api<{ url: string }>('POST', `/api/landing-pages/${saved!.id}/preview-link`, variant ? { variant } : {});
      const url = new URL(link.url, window.location.origin).href;
      if (tab) { tab.opener = null; tab.location.href = url; } else window.location.assign(url);
    } catch (e) { tab?.close(); toast(problemText(e), 'error'); }
  };
  const readOnly = !session.may('write') || saved?.status === 'archived';
  const load = (p: LandingPage) => {
    setSaved(p); setName(p.name); setSlug(p.slug); setSlugTouched(true); setVariants(p.variants); setGoal(p.goal); setConfidence(p.confidence); setMinSample(p.minSample); setRequireConsent(p.requireConsent);
    document.title = `${p.name} · Tend`;
  };
  useEffect(() => {
    api<{ forms: { id: string; name: string }[] }>('GET', '/api/forms').then((r) => setForms(r.forms), () => setForms([]));
    if (isNew) { document.title = 'New landing page · Tend'; return; }
    api<LandingPage>('GET', `/api/landing-pages/${pageId}`).then(load, (e) => setError(problemText(e)));
  }, [pageId, isNew]);

  const shownSlug = slugTouched ? slug : keyFrom(name, SLUG_LENGTH);
  /** Saves what is on screen; a new page moves to its own address unless `stay` (publishing goes on first). */
  const save = async (stay = false): Promise<LandingPage | undefined> => {
    setBusy(true);
    setProblems([]);
    const goalBody = goal.kind === 'event' ? { kind: goal.kind, eventType: goal.eventType, withinDays: goal.withinDays }
      : { kind: goal.kind, withinDays: goal.withinDays, ...(goal.kind === 'cta' && goal.ctaId ? { ctaId: goal.ctaId } : {}) };
    const body = { slug: shownSlug, name, variants: withButtonIds(variants), goal: goalBody, confidence, minSample, requireConsent };
    try {
      const p = await api<LandingPage>(isNew ? 'POST' : 'PUT', isNew ? '/api/landing-pages' : `/api/landing-pages/${pageId}`, body);
      if (!stay) toast(`Saved “${p.name}”`, 'success');
      if (isNew && !stay) navigate(`/landing-pages/${p.id}`);
      else load(p);
      return p;
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.problems);
      toast(problemText(e, { paths: true }), 'error');
      return undefined;
    } finally { setBusy(false); }
  };
  const publish = async () => {
    const p = await save(true);
    if (!p) return;
    try {
      const published = await api<LandingPage>('POST', `/api/landing-pages/${p.id}/publish`);
      toast(`Published at /p/${p.slug}`, 'success');
      if (isNew) return navigate(`/landing-pages/${p.id}`);
      load(published);
      setRefresh((n) => n + 1);
    } catch (e) {
      toast(problemText(e), 'error');
      // Saved but not published: go on from the saved page, not from "new" (another save would create a second one).
      if (isNew) navigate(`/landing-pages/${p.id}`);
    }
  };
  const setVariant = (i: number, patch: Partial<Variant>) => setVariants(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const addVariant = () => {
    const last = variants[variants.length - 1]!;
    const l = letter(variants.length);
    // A copy of the last variant: an A/B test changes one thing, so start from what is there.
    setVariants([...variants, { key: l.toLowerCase(), name: l, weight: 1, blocks: structuredClone(last.blocks) }]);
  };
  const problemAt = (path: string) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}/`)).map((p) => <p key={p.path + p.message} className="error small">{p.message}</p>);
  const totalWeight = variants.reduce((s, v) => s + (v.weight || 0), 0);
  const title = <><a href="/landing-pages" onClick={linkTo('/landing-pages')} className="crumb">Landing pages</a> / {isNew ? 'New landing page' : saved?.name ?? '…'}</>;
  if (error) return <div className="page"><TopBar current="landing-pages" title={title} /><main className="programs"><p className="error" role="alert">{error}</p></main></div>;
  // Nothing to edit until the page is here: a change made to the empty form would be overwritten when it arrives.
  if (!isNew && !saved) return <div className="page"><TopBar current="landing-pages" title={title} /><main className="programs"><p className="muted">Loading…</p></main></div>;
  return (
    <div className="page">
      <TopBar current="landing-pages" title={title}>
        {saved && <span className={`status status-${saved.status === 'published' ? 'live' : saved.status}`} data-testid="landing-status">{saved.status}</span>}
        {saved?.status === 'published' && <a className="button" href={`/p/${saved.slug}`} target="_blank" rel="noopener noreferrer">Open page</a>}
        {saved && saved.status !== 'archived' && <button data-testid="landing-preview-link" title="The saved page at its own address, for an hour; nothing is recorded" onClick={() => void openPreviewLink()}>Preview</button>}
        {saved && saved.status !== 'archived' && !readOnly && <button className="danger" onClick={() => setArchiving(true)}>Archive…</button>}
        {!readOnly && <button data-testid="save-landing-page" disabled={busy || !name.trim()} onClick={() => void save()}>{busy ? 'Saving…' : isNew ? 'Create landing page' : 'Save'}</button>}
        {!readOnly && saved?.status !== 'published' && <button className="primary" data-testid="publish-landing-page" disabled={busy || !name.trim()} onClick={() => void publish()}>Publish</button>}
      </TopBar>
      <main className="programs segment-editor">
        <section aria-label="Landing page">
          <div className="profile-card">
            <label className="field"><span className="field-label">Name</span><input value={name} disabled={readOnly} maxLength={200} placeholder="Spring webinar" onChange={(e) => setName(e.target.value)} />{problemAt('/name')}</label>
            <div className="field">
              <label className="field-label" htmlFor="landing-slug">Address</label>
              <input id="landing-slug" className="code" value={shownSlug} disabled={readOnly} maxLength={SLUG_LENGTH} onChange={(e) => { setSlugTouched(true); setSlug(e.target.value); }} />
              {problemAt('/slug')}
              <span className="field-help muted small">Served at <code data-testid="landing-address">/p/{shownSlug || 'address'}</code></span>
            </div>
            <div className="landing-consent">
              <label className="check"><input type="checkbox" data-testid="landing-require-consent" checked={requireConsent} disabled={readOnly} onChange={(e) => setRequireConsent(e.target.checked)} /> Ask visitors before setting a cookie</label>
              <p className="field-help muted small">A bar offers Accept and Decline. Until a visitor accepts, nothing of their visit is recorded and each load may show another variant; only those who accept are counted in the results.</p>
            </div>
          </div>
          <h2 className="section-title">Variants <span className="muted small">visitors are split by weight, each browser always seeing the same one until a winner is chosen</span></h2>
          <ol className="content-variants">
            {variants.map((v, i) => (
              <li key={i} className="profile-card content-variant" data-testid="landing-variant">
                <div className="inline-fields">
                  <label className="field"><span className="field-label">Variant {i + 1}</span>
                    <input aria-label={`Variant ${i + 1}: name`} value={v.name} disabled={readOnly} maxLength={200} onChange={(e) => setVariant(i, { name: e.target.value, ...(v.key === keyFrom(v.name, SLUG_LENGTH) ? { key: keyFrom(e.target.value, SLUG_LENGTH) } : {}) })} />
                  </label>
                  <label className="field"><span className="field-label">Key</span><input aria-label={`Variant ${i + 1}: key`} className="code" value={v.key} disabled={readOnly} maxLength={SLUG_LENGTH} onChange={(e) => setVariant(i, { key: e.target.value })} /></label>
                  <label className="field landing-weight"><span className="field-label">Weight</span><input aria-label={`Variant ${i + 1}: weight`} type="number" min={1} max={100} value={v.weight} disabled={readOnly} onChange={(e) => setVariant(i, { weight: Number(e.target.value) })} /></label>
                  <span className="muted small landing-share">{totalWeight ? `${Math.round((100 * (v.weight || 0)) / totalWeight)}% of visitors` : ''}</span>
                  <span className="field-buttons"><button className="icon" aria-label={`Remove variant ${i + 1}`} disabled={readOnly || variants.length === 1} onClick={() => setVariants(variants.filter((_, j) => j !== i))}>✕</button></span>
                </div>
                {problemAt(`/variants/${i}/key`)}{problemAt(`/variants/${i}/weight`)}{problemAt(`/variants/${i}/name`)}
                <LandingBlocks blocks={v.blocks} variant={i} forms={forms} readOnly={readOnly} problems={problems} onChange={(blocks) => setVariant(i, { blocks })} />
                {saved?.variants.some((s) => s.key === v.key) && <button className="landing-preview" aria-label={`Preview variant ${i + 1}`} onClick={() => void openPreview(v)}>Preview (as saved)</button>}
                {saved?.status !== 'archived' && saved?.variants.some((s) => s.key === v.key) && <button aria-label={`Open variant ${i + 1} at its address`} onClick={() => void openPreviewLink(v.key)}>Open at /p/{saved.slug}</button>}
              </li>
            ))}
          </ol>
          {!readOnly && variants.length < 5 && <button onClick={addVariant}>+ Variant</button>}
        </section>
        <section aria-label="Test">
          <div className="profile-card">
            <h2 className="section-title">Goal and test</h2>
            <label className="field"><span className="field-label">A conversion is</span>
              <select aria-label="Goal" value={goal.kind} disabled={readOnly} onChange={(e) => setGoal({ ...goal, kind: e.target.value as Goal['kind'] })}>
                <option value="form">The page's form submitted</option><option value="cta">The page's button clicked</option><option value="event">An event</option>
              </select>
            </label>
            {problemAt('/goal/kind')}
            {goal.kind === 'cta' && (
              <label className="field"><span className="field-label">Which button</span>
                <select aria-label="Goal button" value={goal.ctaId ?? ''} disabled={readOnly} onChange={(e) => setGoal({ ...goal, ctaId: e.target.value || undefined })}>
                  <option value="">Any button</option>
                  {buttonChoices(variants).map((b) => <option key={b.id} value={b.id}>{b.label || b.id}</option>)}
                  {goal.ctaId && !buttonChoices(variants).some((b) => b.id === goal.ctaId) && <option value={goal.ctaId}>{goal.ctaId} (no such button)</option>}
                </select>
                {problemAt('/goal/ctaId')}
              </label>
            )}
            {goal.kind === 'event' && <label className="field"><span className="field-label">Event type</span><input aria-label="Goal event" className="code" value={goal.eventType ?? ''} disabled={readOnly} placeholder="demo_booked" onChange={(e) => setGoal({ ...goal, eventType: e.target.value })} />{problemAt('/goal/eventType')}</label>}
            <label className="field"><span className="field-label">Within (days of a view)</span><input aria-label="Within days" type="number" min={1} max={90} value={goal.withinDays} disabled={readOnly} onChange={(e) => setGoal({ ...goal, withinDays: Number(e.target.value) })} />{problemAt('/goal/withinDays')}</label>
            <div className="inline-fields">
              <label className="field"><span className="field-label">Confidence</span>
                <select aria-label="Confidence" value={confidence} disabled={readOnly} onChange={(e) => setConfidence(Number(e.target.value))}>
                  {(CONFIDENCES.includes(confidence) ? CONFIDENCES : [...CONFIDENCES, confidence]).map((c) => <option key={c} value={c}>{Math.round(c * 1000) / 10}%</option>)}
                </select>
              </label>
              <label className="field"><span className="field-label">Visitors per variant before deciding</span><input aria-label="Minimum sample" type="number" min={10} value={minSample} disabled={readOnly} onChange={(e) => setMinSample(Number(e.target.value))} />{problemAt('/minSample')}</label>
            </div>
            <p className="muted small">The winner is chosen by a two-proportion z-test once every variant has its visitors and the best one is ahead at this confidence; from then on every visitor sees it.</p>
          </div>
          {saved ? <LandingResults page={saved} refresh={refresh} mayChoose={!readOnly} onChosen={(p) => { load(p); setRefresh((n) => n + 1); }} /> : <p className="muted">Create the page to see its results.</p>}
        </section>
      </main>
      {preview && (
        <Dialog title={`Preview: ${preview.name}`} onClose={() => setPreview(undefined)} wide>
          <p className="muted small">As saved; nothing is recorded and the form cannot be sent.</p>
          <iframe className="preview-frame landing-preview-frame" title={`Preview of ${preview.name}`} sandbox="" srcDoc={preview.html} data-testid="landing-preview-frame" />
        </Dialog>
      )}
      {archiving && saved && (
        <Dialog title={`Archive “${saved.name}”?`} onClose={() => setArchiving(false)}>
          <p><code>/p/{saved.slug}</code> stops answering and the address is free again; views and conversions on contacts' timelines stay.</p>
          <div className="dialog-actions"><button onClick={() => setArchiving(false)}>Cancel</button><button className="danger primary" onClick={async () => { try { await api('POST', `/api/landing-pages/${saved.id}/archive`); toast(`Archived “${saved.name}”`, 'success'); navigate('/landing-pages'); } catch (e) { toast(problemText(e), 'error'); } }}>Archive</button></div>
        </Dialog>
      )}
    </div>
  );
}
