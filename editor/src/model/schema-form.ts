// JSON Schema → form model. The inspector renders whatever this returns, so every
// node — built-in or third-party — gets its form from its config schema alone.
// Lazy by level: a recursive schema (the condition language) expands as it is edited.
import type { JsonSchema } from './catalogue.js';
import { humanize } from '../../../engine/flow/diff.js';

export type FieldKind =
  | 'text' | 'template' | 'duration' | 'datetime' | 'number' | 'boolean' | 'select'
  | 'object' | 'list' | 'map' | 'union' | 'json';

export interface FieldModel {
  kind: FieldKind;
  title: string;
  description?: string;
  required: boolean;
  schema: JsonSchema;
  /** select: the allowed values. */
  options?: { value: unknown; label: string }[];
  /** object: its properties in schema order. */
  properties?: { key: string; schema: JsonSchema; required: boolean }[];
  /** list: the item schema; map: the value schema. */
  item?: JsonSchema;
  /** union: the variants a value may take. */
  variants?: { label: string; schema: JsonSchema }[];
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  multiline?: boolean;
}

/** "correlationKey" → "Correlation key". */
export { humanize };

/** Follows `$ref` to a schema with that `$id` (or a `#/$defs/x` pointer) anywhere under `root`. */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 20 && s && typeof s.$ref === 'string'; i++) {
    const ref: string = s.$ref;
    const found = ref.startsWith('#/') ? pointer(root, ref.slice(1)) : findById(root, ref);
    if (!found) return {};
    const { $ref: _ignored, ...rest } = s;
    s = { ...found, ...rest };
  }
  return s ?? {};
}

function pointer(root: unknown, path: string): JsonSchema | undefined {
  let cur: any = root;
  for (const part of path.split('/').slice(1)) cur = cur?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur && typeof cur === 'object' ? cur : undefined;
}

const idIndex = new WeakMap<object, Map<string, JsonSchema>>();
function findById(root: JsonSchema, id: string): JsonSchema | undefined {
  let index = idIndex.get(root);
  if (!index) {
    index = new Map();
    const walk = (s: unknown) => {
      if (!s || typeof s !== 'object') return;
      if (Array.isArray(s)) return s.forEach(walk);
      const o = s as JsonSchema;
      if (typeof o.$id === 'string' && !index!.has(o.$id)) index!.set(o.$id, o);
      Object.values(o).forEach(walk);
    };
    walk(root);
    idIndex.set(root, index);
  }
  return index.get(id);
}

const variantsOf = (s: JsonSchema): JsonSchema[] | undefined => (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined);

/** A short name for one branch of a union: its title, its constant, or its one required key. */
export function variantLabel(s: JsonSchema, root: JsonSchema): string {
  const r = resolve(s, root);
  if (typeof r.title === 'string') return r.title;
  if (r.const !== undefined) return String(r.const);
  if (r.type && r.type !== 'object') return String(r.type);
  const props = (r.properties ?? {}) as Record<string, JsonSchema>;
  for (const [k, p] of Object.entries(props)) if (p && p.const !== undefined) return humanize(String(p.const));
  const required: string[] = r.required ?? [];
  if (required.length === 1) return humanize(required[0]) + (required[0] === 'all' || required[0] === 'any' ? ' of' : '');
  return 'Option';
}

export function describeField(schema: JsonSchema, root: JsonSchema, key = '', required = false): FieldModel {
  const s = resolve(schema, root);
  // A shared definition's own title ("Condition") names the type, not this use of it ("Goal").
  const shared = key && (s.$id || schema.$ref);
  const title = shared ? humanize(key) : typeof s.title === 'string' ? s.title : humanize(key);
  const base = { title, description: s.description, required, schema: s };
  const variants = variantsOf(s);
  if (variants) {
    const resolved = variants.map((v) => resolve(v, root));
    if (resolved.every((v) => v.const !== undefined)) return { ...base, kind: 'select', options: resolved.map((v) => ({ value: v.const, label: typeof v.title === 'string' ? v.title : String(v.const) })) };
    return { ...base, kind: 'union', variants: variants.map((v) => ({ label: variantLabel(v, root), schema: v })) };
  }
  if (Array.isArray(s.enum)) return { ...base, kind: 'select', options: s.enum.map((v: unknown) => ({ value: v, label: String(v) })) };
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'duration') return { ...base, kind: 'duration' };
      if (s.format === 'date-time') return { ...base, kind: 'datetime' };
      if (s.format === 'template') return { ...base, kind: 'template', multiline: !(s.maxLength && s.maxLength <= 2000) };
      return { ...base, kind: 'text', multiline: !!s.maxLength && s.maxLength > 2000 };
    case 'integer':
    case 'number':
      return { ...base, kind: 'number', integer: type === 'integer', minimum: s.minimum, maximum: s.maximum };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'array':
      return { ...base, kind: 'list', item: s.items ?? {} };
    case 'object': {
      if (s.properties) {
        const req = new Set<string>(s.required ?? []);
        return { ...base, kind: 'object', properties: Object.entries(s.properties as Record<string, JsonSchema>).map(([k, p]) => ({ key: k, schema: p, required: req.has(k) })) };
      }
      const values = s.patternProperties ? Object.values(s.patternProperties as Record<string, JsonSchema>)[0] : typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
      return { ...base, kind: 'map', item: values };
    }
  }
  return { ...base, kind: 'json' };
}

/** Which union branch a value belongs to: the first whose required keys and constants it has. */
export function matchVariant(model: FieldModel, value: unknown, root: JsonSchema): number {
  const variants = model.variants ?? [];
  const fits = (v: JsonSchema) => {
    const s = resolve(v, root);
    if (s.const !== undefined) return value === s.const;
    if (s.type === 'string') return typeof value === 'string';
    if (s.type === 'number' || s.type === 'integer') return typeof value === 'number';
    if (s.type === 'boolean') return typeof value === 'boolean';
    if (s.type === 'array') return Array.isArray(value);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
    const o = value as Record<string, unknown>;
    for (const [k, p] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) if (p?.const !== undefined && o[k] !== p.const) return false;
    return ((s.required ?? []) as string[]).every((k) => k in o);
  };
  return variants.findIndex((v) => fits(v.schema));
}

/** The value a new field starts with: its default, or for required objects their required parts. */
export function defaultValue(schema: JsonSchema, root: JsonSchema): unknown {
  const s = resolve(schema, root);
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.const !== undefined) return s.const;
  // A new condition is an empty "all of" group: the builder then asks for its first row
  // in words, instead of a half-made comparison that matches no variant.
  if (s.$id === 'Condition') return { all: [] };
  const variants = variantsOf(s);
  if (variants) {
    // Prefer a plain comparison-like branch (most specific: most properties) over wrappers.
    const pick = [...variants].map((v) => resolve(v, root)).sort((a, b) => Object.keys(b.properties ?? {}).length - Object.keys(a.properties ?? {}).length)[0];
    return pick ? defaultValue(pick, root) : undefined;
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' && s.properties) {
    const out: Record<string, unknown> = {};
    for (const k of (s.required ?? []) as string[]) {
      const v = defaultValue(s.properties[k] ?? {}, root);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (type === 'array') return s.minItems ? Array.from({ length: s.minItems }, () => defaultValue(s.items ?? {}, root)).filter((v) => v !== undefined) : [];
  if (type === 'object') return {};
  return undefined;
}

/** A JSON Pointer segment for a key or index. */
export const seg = (k: string | number) => '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/** Reads free-typed input for a field of unknown type: JSON when it parses, else text. */
export function parseLoose(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  try { return JSON.parse(t); } catch { return text; }
}

export function showLoose(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    // A string that would read back as a number or JSON keeps its quotes.
    return parseLoose(value) === value ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}
