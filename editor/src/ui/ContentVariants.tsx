// The variants of a website content slot, in order: each a name, a key (what events
// name it by), its HTML and who sees it, built with the condition builder over the
// contact and their segments. The first whose condition holds is shown; the HTML is
// previewed in a sandboxed frame (no script runs in it, as none may on the site).
import { WEBSITE_SCOPE } from '../model/condition-query.js';
import { keyFrom } from '../model/names.js';
import { ConditionBuilder } from './ConditionBuilder.js';

export interface Variant { key: string; name: string; html: string; condition: unknown }
type Problem = { path: string; message: string };

export const VARIANT_KEY_LENGTH = 63;

/** A variant's HTML as the site would show it, styled plainly, in a frame that runs nothing. */
export function HtmlPreview({ html, title }: { html: string; title: string }) {
  return <iframe title={title} className="content-preview" sandbox="" srcDoc={`<!doctype html><style>body{font-family:system-ui,sans-serif;margin:12px}</style>${html}`} />;
}

export function ContentVariants({ variants, onChange, readOnly, problems }: { variants: Variant[]; onChange: (v: Variant[]) => void; readOnly: boolean; problems: Problem[] }) {
  const set = (i: number, patch: Partial<Variant>) => onChange(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const move = (i: number, by: number) => {
    const next = [...variants];
    const [v] = next.splice(i, 1);
    next.splice(i + by, 0, v!);
    onChange(next);
  };
  const under = (i: number, rest: string) => problems.filter((p) => p.path === `/variants/${i}/${rest}` || p.path.startsWith(`/variants/${i}/${rest}/`));
  return (
    <>
      <ol className="content-variants">
        {variants.map((v, i) => (
          <li key={i} className="profile-card content-variant" data-testid="content-variant">
            <div className="inline-fields">
              <label className="field"><span className="field-label">Variant {i + 1}</span>
                <input aria-label={`Variant ${i + 1}: name`} value={v.name} disabled={readOnly} maxLength={200} placeholder="VIPs"
                  onChange={(e) => set(i, { name: e.target.value, ...(v.key === keyFrom(v.name, VARIANT_KEY_LENGTH) || !v.key ? { key: keyFrom(e.target.value, VARIANT_KEY_LENGTH) } : {}) })} />
              </label>
              <label className="field"><span className="field-label">Key</span><input aria-label={`Variant ${i + 1}: key`} className="code" value={v.key} disabled={readOnly} maxLength={VARIANT_KEY_LENGTH} onChange={(e) => set(i, { key: e.target.value })} /></label>
              <span className="field-buttons">
                <button className="icon" aria-label={`Move variant ${i + 1} up`} disabled={readOnly || i === 0} onClick={() => move(i, -1)}>↑</button>
                <button className="icon" aria-label={`Move variant ${i + 1} down`} disabled={readOnly || i === variants.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button className="icon" aria-label={`Remove variant ${i + 1}`} disabled={readOnly} onClick={() => onChange(variants.filter((_, j) => j !== i))}>✕</button>
              </span>
            </div>
            {under(i, 'key').map((p) => <p key={p.path} className="error small">{p.message}</p>)}
            <span className="field-label">Shown to</span>
            <ConditionBuilder id={`variant-${i}-condition`} value={v.condition} onChange={(c) => set(i, { condition: c })} readOnly={readOnly}
              problems={under(i, 'condition').map((p) => ({ ...p, path: p.path.slice(`/variants/${i}/condition`.length) }))} scope={WEBSITE_SCOPE} />
            <label className="field"><span className="field-label">HTML</span>
              <textarea aria-label={`Variant ${i + 1}: HTML`} className="code" rows={4} value={v.html} disabled={readOnly} maxLength={20000} onChange={(e) => set(i, { html: e.target.value })} />
            </label>
            <HtmlPreview html={v.html} title={`Variant ${i + 1} preview`} />
          </li>
        ))}
      </ol>
      {!readOnly && <button onClick={() => onChange([...variants, { key: '', name: '', html: '', condition: { all: [] } }])}>+ Variant</button>}
    </>
  );
}
