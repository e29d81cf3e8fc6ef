// The blocks of one variant of a landing page, in order: each edited in place, moved up
// or down, removed; new ones added at the end. What a block may hold is plain text and
// http(s) addresses: the server escapes everything and refuses other links.
import { BLOCK_LABELS, newBlock, type Block, type BlockType, type Problem } from './landing-types.js';

interface FormChoice { id: string; name: string }

function BlockFields({ block, label, set, forms, readOnly }: { block: Block; label: string; set: (b: Block) => void; forms: FormChoice[]; readOnly: boolean }) {
  switch (block.type) {
    case 'heading':
      return (
        <div className="inline-fields">
          <label className="field"><span className="field-label">Heading</span><input aria-label={`${label}: heading`} value={block.text} disabled={readOnly} maxLength={300} onChange={(e) => set({ ...block, text: e.target.value })} /></label>
          <label className="field landing-level"><span className="field-label">Size</span>
            <select aria-label={`${label}: size`} value={block.level ?? 2} disabled={readOnly} onChange={(e) => set({ ...block, level: Number(e.target.value) })}>
              <option value={1}>Title</option><option value={2}>Section</option><option value={3}>Small</option>
            </select>
          </label>
        </div>
      );
    case 'text':
      return <label className="field"><span className="field-label">Text (a blank line starts a paragraph)</span><textarea aria-label={`${label}: text`} rows={3} value={block.text} disabled={readOnly} maxLength={5000} onChange={(e) => set({ ...block, text: e.target.value })} /></label>;
    case 'image':
      return (
        <div className="inline-fields">
          <label className="field"><span className="field-label">Image address</span><input aria-label={`${label}: image address`} className="code" value={block.url} disabled={readOnly} maxLength={2000} onChange={(e) => set({ ...block, url: e.target.value })} /></label>
          <label className="field"><span className="field-label">Description</span><input aria-label={`${label}: description`} value={block.alt} disabled={readOnly} maxLength={300} onChange={(e) => set({ ...block, alt: e.target.value })} /></label>
        </div>
      );
    case 'form':
      return (
        <label className="field"><span className="field-label">Form</span>
          <select aria-label={`${label}: form`} value={block.formId} disabled={readOnly} onChange={(e) => set({ ...block, formId: e.target.value })}>
            <option value="">Choose a form…</option>
            {forms.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </label>
      );
    case 'cta':
      return (
        <div className="inline-fields">
          <label className="field"><span className="field-label">Button text</span><input aria-label={`${label}: button text`} value={block.label} disabled={readOnly} maxLength={100} onChange={(e) => set({ ...block, label: e.target.value })} /></label>
          <label className="field"><span className="field-label">Links to</span><input aria-label={`${label}: link`} className="code" value={block.url} disabled={readOnly} maxLength={2000} onChange={(e) => set({ ...block, url: e.target.value })} /></label>
        </div>
      );
  }
}

export function LandingBlocks({ blocks, onChange, variant, forms, readOnly, problems }: { blocks: Block[]; onChange: (b: Block[]) => void; variant: number; forms: FormChoice[]; readOnly: boolean; problems: Problem[] }) {
  const move = (i: number, by: number) => {
    const next = [...blocks];
    const [b] = next.splice(i, 1);
    next.splice(i + by, 0, b!);
    onChange(next);
  };
  const add = (type: BlockType) => onChange([...blocks, newBlock(type, forms[0]?.id)]);
  return (
    <>
      <ol className="landing-blocks">
        {blocks.map((b, j) => {
          const label = `Variant ${variant + 1}, block ${j + 1}`;
          const here = `/variants/${variant}/blocks/${j}`;
          return (
            <li key={j} className="landing-block" data-testid="landing-block" data-type={b.type}>
              <div className="landing-block-head">
                <span className="pill pill-segment">{BLOCK_LABELS[b.type]}</span>
                <span className="spacer" />
                <span className="field-buttons">
                  <button className="icon" aria-label={`Move ${label} up`} disabled={readOnly || j === 0} onClick={() => move(j, -1)}>↑</button>
                  <button className="icon" aria-label={`Move ${label} down`} disabled={readOnly || j === blocks.length - 1} onClick={() => move(j, 1)}>↓</button>
                  <button className="icon" aria-label={`Remove ${label}`} disabled={readOnly} onClick={() => onChange(blocks.filter((_, k) => k !== j))}>✕</button>
                </span>
              </div>
              <BlockFields block={b} label={label} forms={forms} readOnly={readOnly} set={(nb) => onChange(blocks.map((x, k) => (k === j ? nb : x)))} />
              {problems.filter((p) => p.path === here || p.path.startsWith(`${here}/`)).map((p) => <p key={p.path + p.message} className="error small">{p.message}</p>)}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <div className="landing-add" role="group" aria-label={`Add a block to variant ${variant + 1}`}>
          {(Object.keys(BLOCK_LABELS) as BlockType[]).map((t) => <button key={t} onClick={() => add(t)}>+ {BLOCK_LABELS[t]}</button>)}
        </div>
      )}
    </>
  );
}
