// Renders any JSON Schema as a form, from the model in model/schema-form.ts: no form is
// written by hand for a node. Problems from the server appear under the exact field.
import { useEffect, useState } from 'react';
import { defaultValue, describeField, matchVariant, parseLoose, resolve, seg, showLoose, type FieldModel } from '../model/schema-form.js';
import type { JsonSchema } from '../model/catalogue.js';
import { DURATION_UNITS, joinDuration, splitDuration, type DurationUnit } from '../model/duration.js';
import { ConditionBuilder } from './ConditionBuilder.js';
import { TemplateInput } from './TemplateInput.js';
import { useCatalogue } from './useCatalogue.js';

export interface FormContext {
  root: JsonSchema;
  readOnly: boolean;
  /** Messages by JSON Pointer relative to the form's value. */
  problems: Map<string, string[]>;
}

interface FieldProps {
  ctx: FormContext;
  schema: JsonSchema;
  name: string;
  path: string;
  value: unknown;
  required: boolean;
  onChange: (v: unknown) => void;
  /** Hide the title (list items, union bodies). */
  bare?: boolean;
}

export function SchemaForm({ schema, value, onChange, ctx }: { schema: JsonSchema; value: unknown; onChange: (v: unknown) => void; ctx: FormContext }) {
  return <Field ctx={ctx} schema={schema} name="" path="" value={value} required onChange={onChange} bare />;
}

const idFor = (path: string) => `f${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

function Messages({ ctx, path }: { ctx: FormContext; path: string }) {
  const list = ctx.problems.get(path);
  if (!list?.length) return null;
  return <>{list.map((m, i) => <p key={i} className="field-error" role="alert" data-testid={`field-error-${path}`}>{m}</p>)}</>;
}

function Label({ model, htmlFor }: { model: FieldModel; htmlFor?: string }) {
  return (
    <label className="field-label" htmlFor={htmlFor}>
      {model.title}{model.required && <span className="req" aria-label="required">*</span>}
    </label>
  );
}

export function Field(props: FieldProps) {
  const { ctx, schema, name, path, value, required, onChange, bare } = props;
  // The condition language gets its builder, not a generic form of its JSON Schema.
  if (resolve(schema, ctx.root).$id === 'Condition') return <ConditionField {...props} />;
  const model = describeField(schema, ctx.root, name, required);
  const id = idFor(path || '/root');
  const invalid = ctx.problems.has(path);
  const common = { id, disabled: ctx.readOnly, 'aria-invalid': invalid || undefined, 'data-path': path };
  const wrap = (control: React.ReactNode, block = false) => (
    <div className={`field${block ? ' field-block' : ''}${invalid ? ' invalid' : ''}`} data-field={path}>
      {!bare && <Label model={model} htmlFor={id} />}
      {control}
      {model.description && !bare && <p className="hint">{model.description}</p>}
      <Messages ctx={ctx} path={path} />
    </div>
  );

  switch (model.kind) {
    case 'text':
    case 'template': {
      const v = typeof value === 'string' ? value : '';
      const set = (text: string) => onChange(text === '' && !required ? undefined : text);
      if (model.kind === 'template') {
        return wrap(<TemplateInput common={common} value={v} multiline={Boolean(model.multiline)} placeholder={typeof model.schema.default === 'string' ? model.schema.default : undefined} onChange={set} />);
      }
      const suggest = model.schema['x-tend-suggest'];
      if (typeof suggest === 'string' && !model.multiline) {
        return wrap(<SuggestInput common={common} kind={suggest} value={v} placeholder={typeof model.schema.default === 'string' ? model.schema.default : undefined} onChange={set} />);
      }
      return wrap(model.multiline
        ? <textarea {...common} rows={4} value={v} onChange={(e) => set(e.target.value)} />
        : <input {...common} value={v} placeholder={typeof model.schema.default === 'string' ? model.schema.default : undefined} onChange={(e) => set(e.target.value)} />);
    }
    case 'duration':
      return wrap(<DurationInput common={common} value={value} required={required} onChange={onChange} />);
    case 'datetime': {
      const d = typeof value === 'string' ? new Date(value) : undefined;
      const local = d && !Number.isNaN(d.getTime()) ? new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '';
      return wrap(<input {...common} type="datetime-local" value={local} onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : undefined)} />);
    }
    case 'number':
      return wrap(<NumberInput common={common} model={model} value={value} onChange={onChange} />);
    case 'boolean': {
      const checked = typeof value === 'boolean' ? value : model.schema.default === true;
      return (
        <div className={`field field-inline${invalid ? ' invalid' : ''}`} data-field={path}>
          <label className="check"><input {...common} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {model.title}</label>
          {model.description && <p className="hint">{model.description}</p>}
          <Messages ctx={ctx} path={path} />
        </div>
      );
    }
    case 'select': {
      const options = model.options ?? [];
      const index = options.findIndex((o) => o.value === value);
      return wrap(
        <select {...common} value={index < 0 ? '' : String(index)} onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)].value)}>
          {(index < 0 || !required) && <option value="">{required ? 'Choose…' : '—'}</option>}
          {options.map((o, i) => <option key={i} value={String(i)}>{o.label}</option>)}
        </select>,
      );
    }
    case 'object':
      return <ObjectField {...props} model={model} />;
    case 'list':
      return <ListField {...props} model={model} />;
    case 'map':
      return <MapField {...props} model={model} />;
    case 'union':
      return <UnionField {...props} model={model} />;
    default:
      return wrap(<LooseInput common={common} value={value} onChange={onChange} />);
  }
}

type Common = Record<string, unknown>;

function DurationInput({ common, value, required, onChange }: { common: Common; value: unknown; required: boolean; onChange: (v: unknown) => void }) {
  const parts = splitDuration(value);
  const [amount, setAmount] = useState(parts ? String(parts.amount) : '');
  const [unit, setUnit] = useState<DurationUnit>(parts?.unit ?? 'days');
  // Follow outside changes (undo, another node selected).
  useEffect(() => {
    const p = splitDuration(value);
    if (p) { setAmount((a) => (Number(a) === p.amount ? a : String(p.amount))); setUnit(p.unit); }
    else if (value === undefined) setAmount('');
  }, [value]);
  const emit = (a: string, u: DurationUnit) => {
    const n = Number(a);
    if (a.trim() === '') onChange(required ? '' : undefined);
    else if (Number.isFinite(n) && n >= 0) onChange(joinDuration({ amount: n, unit: u, negative: parts?.negative ?? false }));
    else onChange(a);
  };
  return (
    <div className="duration">
      <input {...common} type="number" min={0} step="any" inputMode="decimal" aria-label="Amount" value={amount} onChange={(e) => { setAmount(e.target.value); emit(e.target.value, unit); }} />
      <select disabled={common.disabled as boolean} aria-label="Unit" data-path={`${String(common['data-path'])}#unit`} value={unit} onChange={(e) => { const u = e.target.value as DurationUnit; setUnit(u); emit(amount, u); }}>
        {DURATION_UNITS.map((u) => <option key={u} value={u}>{u}</option>)}
      </select>
    </div>
  );
}

function NumberInput({ common, model, value, onChange }: { common: Common; model: FieldModel; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => { setText((t) => (typeof value === 'number' && Number(t) === value && t !== '' ? t : typeof value === 'number' ? String(value) : value === undefined ? '' : t)); }, [value]);
  return (
    <input {...common} type="number" step={model.integer ? 1 : 'any'} min={model.minimum} max={model.maximum} value={text}
      placeholder={typeof model.schema.default === 'number' ? String(model.schema.default) : undefined}
      onChange={(e) => { setText(e.target.value); const t = e.target.value.trim(); onChange(t === '' ? undefined : Number(t)); }} />
  );
}

function LooseInput({ common, value, onChange }: { common: Common; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(showLoose(value));
  useEffect(() => { setText((t) => (JSON.stringify(parseLoose(t)) === JSON.stringify(value) ? t : showLoose(value))); }, [value]);
  return <input {...common} className="code" placeholder="text, number or JSON" value={text} onChange={(e) => { setText(e.target.value); onChange(parseLoose(e.target.value)); }} />;
}

function ObjectField({ ctx, path, value, onChange, bare, required, model }: FieldProps & { model: FieldModel }) {
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const set = (key: string, v: unknown) => {
    const next = { ...(obj ?? {}) };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  const body = (
    <>
      {(model.properties ?? []).map((p) => {
        // A constant (a union branch's tag, like op: "set") is chosen by the branch selector.
        if (resolve(p.schema, ctx.root).const !== undefined) return null;
        const kind = describeField(p.schema, ctx.root, p.key).kind;
        const optionalStructure = !p.required && (kind === 'union' || kind === 'object');
        const childPath = path + seg(p.key);
        if (optionalStructure && obj?.[p.key] === undefined) {
          const title = describeField(p.schema, ctx.root, p.key).title;
          return (
            <div key={p.key} className="field" data-field={childPath}>
              <span className="field-label">{title}</span>
              <button type="button" className="link" disabled={ctx.readOnly} onClick={() => set(p.key, defaultValue(p.schema, ctx.root) ?? {})}>+ Add {title.toLowerCase()}</button>
              <Messages ctx={ctx} path={childPath} />
            </div>
          );
        }
        return (
          <div key={p.key} className="field-row">
            <Field ctx={ctx} schema={p.schema} name={p.key} path={childPath} value={obj?.[p.key]} required={p.required} onChange={(v) => set(p.key, v)} />
            {optionalStructure && !ctx.readOnly && <button type="button" className="link remove" onClick={() => set(p.key, undefined)}>Remove</button>}
          </div>
        );
      })}
      <Messages ctx={ctx} path={path} />
    </>
  );
  if (bare) return <div className="object" data-field={path}>{body}</div>;
  return (
    <fieldset className="object" data-field={path}>
      <legend>{model.title}{required && <span className="req">*</span>}</legend>
      {model.description && <p className="hint">{model.description}</p>}
      {body}
    </fieldset>
  );
}

function ListField({ ctx, path, value, onChange, model, bare }: FieldProps & { model: FieldModel }) {
  const items = Array.isArray(value) ? value : [];
  const item = model.item ?? {};
  const max = model.schema.maxItems as number | undefined;
  const min = (model.schema.minItems as number | undefined) ?? 0;
  const set = (i: number, v: unknown) => onChange(items.map((x, j) => (j === i ? v : x)));
  const scalar = ['text', 'template', 'number', 'select', 'duration', 'json', 'boolean'].includes(describeField(item, ctx.root).kind);
  return (
    <fieldset className="list" data-field={path}>
      {!bare && <legend>{model.title}</legend>}
      {model.description && <p className="hint">{model.description}</p>}
      {items.map((v, i) => (
        <div key={i} className={`list-item${scalar ? ' scalar' : ''}`}>
          <Field ctx={ctx} schema={item} name={`${model.title} ${i + 1}`} path={`${path}/${i}`} value={v} required onChange={(nv) => set(i, nv)} bare={scalar} />
          {!ctx.readOnly && (
            <div className="list-actions">
              <button type="button" className="icon" aria-label="Move up" disabled={i === 0} onClick={() => { const n = [...items]; [n[i - 1], n[i]] = [n[i], n[i - 1]]; onChange(n); }}>↑</button>
              <button type="button" className="icon" aria-label="Remove" disabled={items.length <= min} onClick={() => onChange(items.filter((_, j) => j !== i))}>×</button>
            </div>
          )}
        </div>
      ))}
      {!ctx.readOnly && (max === undefined || items.length < max) && (
        <button type="button" className="link" onClick={() => onChange([...items, defaultValue(item, ctx.root) ?? (describeField(item, ctx.root).kind === 'object' ? {} : '')])}>+ Add</button>
      )}
      <Messages ctx={ctx} path={path} />
    </fieldset>
  );
}

function MapField({ ctx, path, value, onChange, model }: FieldProps & { model: FieldModel }) {
  const entries = Object.entries(value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  const write = (list: [string, unknown][]) => onChange(list.length ? Object.fromEntries(list) : undefined);
  return (
    <fieldset className="list" data-field={path}>
      <legend>{model.title}</legend>
      {entries.map(([k, v], i) => (
        <div key={i} className="map-row">
          <input aria-label="Name" disabled={ctx.readOnly} value={k} onChange={(e) => write(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))} />
          <input aria-label="Value" disabled={ctx.readOnly} value={typeof v === 'string' ? v : showLoose(v)} onChange={(e) => write(entries.map((en, j) => (j === i ? [en[0], resolve(model.item ?? {}, ctx.root).type === 'string' ? e.target.value : parseLoose(e.target.value)] : en)))} />
          {!ctx.readOnly && <button type="button" className="icon" aria-label="Remove" onClick={() => write(entries.filter((_, j) => j !== i))}>×</button>}
          <Messages ctx={ctx} path={path + seg(k)} />
        </div>
      ))}
      {!ctx.readOnly && <button type="button" className="link" onClick={() => write([...entries, [`key${entries.length + 1}`, '']])}>+ Add</button>}
      <Messages ctx={ctx} path={path} />
    </fieldset>
  );
}

function UnionField({ ctx, name, path, value, onChange, required, model, bare }: FieldProps & { model: FieldModel }) {
  const variants = model.variants ?? [];
  const index = matchVariant(model, value, ctx.root);
  const current = index >= 0 ? variants[index] : undefined;
  return (
    <div className={`union${bare ? '' : ' union-framed'}`} data-field={path}>
      <div className="union-head">
        {!bare && <Label model={model} htmlFor={idFor(path) + '-variant'} />}
        <select id={idFor(path) + '-variant'} data-path={`${path}#variant`} disabled={ctx.readOnly} aria-label={`${model.title}: kind`} value={index < 0 ? '' : String(index)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : defaultValue(variants[Number(e.target.value)].schema, ctx.root))}>
          {(index < 0 || !required) && <option value="">{required ? 'Choose…' : '—'}</option>}
          {variants.map((v, i) => <option key={i} value={String(i)}>{v.label}</option>)}
        </select>
      </div>
      {current && <Field ctx={ctx} schema={current.schema} name={name} path={path} value={value} required={required} onChange={onChange} bare />}
      {!current && <Messages ctx={ctx} path={path} />}
    </div>
  );
}

function ConditionField({ ctx, schema, name, path, value, required, onChange, bare }: FieldProps) {
  const model = describeField(schema, ctx.root, name, required);
  const problems = [...ctx.problems].filter(([p]) => p === path || p.startsWith(`${path}/`)).flatMap(([p, list]) => list.map((message) => ({ path: p.slice(path.length), message })));
  return (
    <div className={`field field-block${problems.length ? ' invalid' : ''}`} data-field={path}>
      {!bare && <Label model={model} />}
      {!value && !required && !ctx.readOnly
        ? <button type="button" className="link" onClick={() => onChange({ all: [] })}>+ Add a condition</button>
        : <ConditionBuilder id={idFor(path)} value={value} onChange={onChange} readOnly={ctx.readOnly} problems={problems} />}
      {value !== undefined && !required && !ctx.readOnly && <button type="button" className="link" onClick={() => onChange(undefined)}>Remove the condition</button>}
      {model.description && !bare && <p className="hint">{model.description}</p>}
    </div>
  );
}

/**
 * A text field whose schema says what it names (`x-tend-suggest`): a combobox of what
 * this Tend's data has seen — event types, attribute names, segments, stages — free text still allowed.
 */
function SuggestInput({ common, kind, value, placeholder, onChange }: { common: Common; kind: string; value: string; placeholder?: string; onChange: (v: string) => void }) {
  const catalogue = useCatalogue();
  const attributes = (catalogue?.attributes ?? []).map((a) => a.path.slice('contact.attributes.'.length));
  const options = kind === 'eventType' ? (catalogue?.events ?? []).map((e) => ({ value: e.type, label: `${e.count} seen` }))
    : kind === 'attribute' ? [...attributes.map((a) => ({ value: a, label: 'attribute' })), ...['email', 'phone', 'timezone'].map((f) => ({ value: f, label: 'contact field' }))]
    : kind === 'attributePath' ? attributes.map((a) => ({ value: `attributes.${a}`, label: 'attribute' }))
    : kind === 'segment' ? (catalogue?.segments ?? []).map((s) => ({ value: s.key, label: s.name }))
    : kind === 'stage' ? (catalogue?.stages ?? []).map((s, i) => ({ value: s, label: `stage ${i + 1}` })) : [];
  const listId = `${String(common.id)}-seen`;
  return (
    <>
      <input {...common} list={listId} value={value} placeholder={placeholder} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId} data-testid={`suggestions-${kind}`}>{options.map((o) => <option key={o.value} value={o.value} label={o.label} />)}</datalist>
    </>
  );
}
