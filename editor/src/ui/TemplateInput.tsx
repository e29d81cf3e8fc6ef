// A template field (subject, HTML, text, SMS, webhook body): the text, an "Insert
// variable" menu of the fields this Tend's data holds, and a warning for each path no
// contact or event has ever carried, with the nearest one seen to switch to.
import { useMemo, useRef } from 'react';
import { templateVariables, unknownPaths } from '../model/template-variables.js';
import { useCatalogue } from './useCatalogue.js';
import { useCaretAfterChange } from './caret.js';

interface Props {
  common: Record<string, unknown>;
  value: string;
  multiline: boolean;
  placeholder?: string;
  onChange: (text: string) => void;
}

export function TemplateInput({ common, value, multiline, placeholder, onChange }: Props) {
  const catalogue = useCatalogue();
  const vars = useMemo(() => templateVariables(catalogue), [catalogue]);
  const groups = useMemo(() => [...new Set(vars.map((v) => v.group))], [vars]);
  const warnings = useMemo(() => unknownPaths(value, vars), [value, vars]);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const placeCaret = useCaretAfterChange(field, value);
  const disabled = Boolean(common.disabled);

  const insert = (path: string) => {
    const el = field.current;
    const at = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? at;
    const token = `{{${path}}}`;
    onChange(value.slice(0, at) + token + value.slice(end));
    placeCaret(at + token.length);
  };

  return (
    <>
      {multiline
        ? <textarea {...common} ref={field} className="code" rows={8} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
        : <input {...common} ref={field} className="code" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />}
      {!disabled && vars.length > 0 && (
        <select className="insert-variable" aria-label="Insert variable" value="" data-testid="insert-variable"
          onChange={(e) => { if (e.target.value) insert(e.target.value); }}>
          <option value="">+ Insert variable…</option>
          {groups.map((g) => (
            <optgroup key={g} label={g}>
              {vars.filter((v) => v.group === g).map((v) => <option key={v.path} value={v.path}>{v.label}</option>)}
            </optgroup>
          ))}
        </select>
      )}
      {warnings.map((w) => (
        <p key={w.path} className="field-warning" data-testid="template-warning">
          No contact or event has carried “{w.path}”.
          {w.suggestion && <> Did you mean <button type="button" className="link" onClick={() => onChange(value.split(w.path).join(w.suggestion!))}>{w.suggestion}</button>?</>}
          {' '}Add <code>{'{{default … "fallback"}}'}</code> for contacts without it.
        </p>
      ))}
    </>
  );
}
