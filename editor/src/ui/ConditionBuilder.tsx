// The condition builder of if/else, switch, Where filters, goals and wait-for-condition:
// rows of field · operator · value grouped by all / any / not, built by picking from
// what this Tend's data holds. react-querybuilder draws the groups and rows; Tend's
// condition JSON goes in and out through model/condition-query.ts, and the values get
// editors of their own that fit the field's type.
import { useEffect, useMemo, useState } from 'react';
import { QueryBuilder, type Field as RqbField, type ValueEditorProps, type RuleGroupType } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import { builderFields, fieldsInUse, fromQuery, operatorsFor, toQuery, FACT_PREFIX, PROGRAM_SCOPE, type BuilderField, type FactValue, type FieldScope } from '../model/condition-query.js';
import { useCatalogue } from './useCatalogue.js';

const WINDOWS = ['', '1 day', '7 days', '30 days', '90 days', '365 days'];

interface Props {
  value: unknown;
  onChange: (v: unknown) => void;
  readOnly: boolean;
  /** Messages by path relative to this condition ('' is the condition itself). */
  problems: { path: string; message: string }[];
  id: string;
  /** What the condition may read (a segment's reads no run event and no segment). */
  scope?: FieldScope;
}

/** "/all/1/any/0/value" → "Row 2.1". */
export function rowName(path: string): string {
  const indexes = [...path.matchAll(/\/(?:all|any)\/(\d+)/g)].map((m) => Number(m[1]) + 1);
  return indexes.length ? `Row ${indexes.join('.')}` : 'The condition';
}

export function ConditionBuilder({ value, onChange, readOnly, problems, id, scope = PROGRAM_SCOPE }: Props) {
  const catalogue = useCatalogue();
  const query = useMemo(() => toQuery(value), [value]);
  const fields = useMemo(() => builderFields(catalogue, fieldsInUse(query), scope), [catalogue, query, scope]);
  const byName = useMemo(() => new Map(fields.map((f) => [f.name, f])), [fields]);
  const rqbFields = useMemo(() => groupFields(fields), [fields]);

  return (
    <div className="condition-builder" id={id} data-testid="condition-builder">
      <QueryBuilder
        fields={rqbFields}
        query={query}
        onQueryChange={(q: RuleGroupType) => onChange(fromQuery(q, fields))}
        getOperators={(field: string) => operatorsFor(byName.get(field)?.type ?? 'string')}
        getDefaultValue={() => ''}
        showNotToggle
        disabled={readOnly}
        addRuleToNewGroups
        resetOnFieldChange
        controlElements={{ valueEditor: (p: ValueEditorProps) => <ValueInput {...p} seen={byName.get(p.field)} /> }}
        combinators={[{ name: 'and', label: 'All of these are true' }, { name: 'or', label: 'Any of these is true' }]}
        translations={{
          addRule: { label: '+ Condition', title: 'Add a condition' },
          addGroup: { label: '+ Group', title: 'Add a group of conditions' },
          removeRule: { label: '✕', title: 'Remove this condition' },
          removeGroup: { label: '✕', title: 'Remove this group' },
          notToggle: { label: 'Not', title: 'True when the group is not' },
          fields: { title: 'Field', placeholderLabel: 'Choose a field…', placeholderGroupLabel: 'Choose a field…' },
          operators: { title: 'How to compare' },
          value: { title: 'Value' },
          combinators: { title: 'Match' },
        }}
      />
      {query.rules.length === 0 && !readOnly && <p className="hint">Add a condition: pick a field, how to compare, and a value.</p>}
      {problems.map((p, i) => (
        <p key={i} className="field-error" role="alert" data-testid="condition-problem">{rowName(p.path)}: {p.message}</p>
      ))}
    </div>
  );
}

function groupFields(fields: BuilderField[]) {
  const groups = new Map<string, RqbField[]>();
  for (const f of fields) {
    const list = groups.get(f.group) ?? [];
    list.push({ name: f.name, value: f.name, label: f.label });
    groups.set(f.group, list);
  }
  return [...groups].map(([label, options]) => ({ label, options }));
}

const listId = (field: string) => `seen-${field.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The value of one row, with a control that fits the field and the operator. */
function ValueInput(props: ValueEditorProps & { seen: BuilderField | undefined }) {
  const { operator, value, handleOnChange, disabled, seen: field } = props;
  const name = props.rule.field;
  if (operator === 'exists' || operator === 'notExists') return null;
  if (name.startsWith(FACT_PREFIX)) {
    const v = (value && typeof value === 'object' ? value : {}) as FactValue;
    return (
      <span className="fact-value">
        <input type="number" aria-label="Number" title="Number" disabled={disabled} value={v.value ?? ''} onChange={(e) => handleOnChange({ ...v, value: e.target.value === '' ? undefined : Number(e.target.value) })} />
        <select aria-label="Within" title="Within" disabled={disabled} value={v.within ?? ''} onChange={(e) => handleOnChange({ ...v, within: e.target.value || undefined })}>
          {WINDOWS.map((w) => <option key={w} value={w}>{w ? `in the last ${w}` : 'ever'}</option>)}
        </select>
      </span>
    );
  }
  if (field?.type === 'boolean') {
    return (
      <select aria-label="Value" title="Value" disabled={disabled} value={value === true || value === 'true' ? 'true' : value === false || value === 'false' ? 'false' : ''} onChange={(e) => handleOnChange(e.target.value === '' ? '' : e.target.value === 'true')}>
        <option value="">Choose…</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  return <TextValue {...props} kind={field?.type ?? 'string'} examples={(field?.examples ?? []).map(String)} />;
}

const shown = (value: unknown) => (Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value));
/** Compares what is typed with what is stored, ignoring what typing leaves in between ("vip, ", "1."). */
const sameValue = (text: string, value: unknown) => text.split(',').map((t) => t.trim()).filter(Boolean).join(',') === shown(value).split(',').map((t) => t.trim()).filter(Boolean).join(',');

function TextValue(props: ValueEditorProps & { kind: BuilderField['type']; examples: string[] }) {
  const { operator, value, handleOnChange, disabled, kind: type, examples } = props;
  const name = props.rule.field;
  // The text box keeps what is typed; the stored value is typed (a number, a list), so
  // reading it back on each keystroke would eat a trailing comma or decimal point.
  const [text, setText] = useState(shown(value));
  useEffect(() => { setText((t) => (sameValue(t, value) ? t : shown(value))); }, [value]);
  const inputType = type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';
  return (
    <span className="rule-value-input">
      <input
        type={operator === 'in' || operator === 'nin' ? 'text' : inputType}
        aria-label="Value"
        title="Value"
        disabled={disabled}
        list={examples.length ? listId(name) : undefined}
        placeholder={operator === 'in' || operator === 'nin' ? 'values, separated by commas' : examples.length ? `e.g. ${examples.slice(0, 3).join(', ')}` : ''}
        value={text}
        onChange={(e) => { setText(e.target.value); handleOnChange(e.target.value); }}
      />
      {examples.length > 0 && <datalist id={listId(name)}>{examples.map((x) => <option key={x} value={x} />)}</datalist>}
    </span>
  );
}
