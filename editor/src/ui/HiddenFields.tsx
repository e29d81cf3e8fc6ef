// The form builder's hidden fields: values no visitor sees, sent with every submission
// (a campaign, a source), each a contact attribute name and its value; a page that
// embeds the form may override the value. Kept as rows while edited, so an attribute
// can be renamed without losing its place; a form stores them as a name → value map.
export interface HiddenRow { name: string; value: string }

export const hiddenRows = (hidden: Record<string, string> | undefined): HiddenRow[] => Object.entries(hidden ?? {}).map(([name, value]) => ({ name, value }));

/**
 * The map a form stores, or the problem to show: rows left wholly empty are dropped,
 * an attribute named twice would lose one value. The name's pattern and a clash with a
 * visible field are the server's to check (422, naming /hidden/<name>).
 */
export function hiddenMap(rows: HiddenRow[]): { hidden: Record<string, string> } | { problem: string } {
  const hidden: Record<string, string> = {};
  for (const [i, r] of rows.entries()) {
    const name = r.name.trim();
    if (!name && !r.value) continue;
    if (!name) return { problem: `Hidden field ${i + 1}: give the attribute it fills` };
    if (name in hidden) return { problem: `Hidden field ${i + 1}: "${name}" is already a hidden field` };
    hidden[name] = r.value;
  }
  return { hidden };
}

export function HiddenFields({ rows, onChange, readOnly }: { rows: HiddenRow[]; onChange: (rows: HiddenRow[]) => void; readOnly: boolean }) {
  const set = (i: number, patch: Partial<HiddenRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <>
      <h3>Hidden fields</h3>
      {rows.length === 0 && <p className="muted small">None. A hidden field is sent with every submission, e.g. campaign = spring; the page that embeds the form may change its value.</p>}
      <ol className="form-fields">
        {rows.map((r, i) => (
          <li key={i} data-testid="hidden-field" className="hidden-field">
            <input aria-label={`Hidden field ${i + 1}: attribute`} className="code" value={r.name} disabled={readOnly} placeholder="campaign" maxLength={64} onChange={(e) => set(i, { name: e.target.value })} />
            <input aria-label={`Hidden field ${i + 1}: value`} value={r.value} disabled={readOnly} placeholder="spring" maxLength={500} onChange={(e) => set(i, { value: e.target.value })} />
            <button className="icon" aria-label={`Remove hidden field ${i + 1}`} disabled={readOnly} onClick={() => onChange(rows.filter((_, j) => j !== i))}>✕</button>
          </li>
        ))}
      </ol>
      {!readOnly && <button disabled={rows.length >= 20} onClick={() => onChange([...rows, { name: '', value: '' }])}>+ Hidden field</button>}
    </>
  );
}
