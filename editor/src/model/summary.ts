// One-line node summaries for the canvas ("Wait 3 days", "If score ≥ 50"), from the
// plugin's `summary` template. Values are formatted by shape, never by node type, so
// a third-party node gets the same treatment.
import type { NodeType } from './catalogue.js';

const OPS: Record<string, string> = {
  eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in', nin: 'not in',
  contains: 'contains', notContains: 'does not contain', startsWith: 'starts with', exists: 'is set', notExists: 'is not set',
};

function shortPath(path: string): string {
  return path.replace(/^contact\.attributes\./, '').replace(/^contact\./, '').replace(/^event\.properties\./, 'event.');
}

function clip(text: string, max = 48): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** Formats one config value for a summary. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.all)) return o.all.length ? o.all.map(formatValue).join(' and ') : 'always';
    if (Array.isArray(o.any)) return o.any.length ? o.any.map(formatValue).join(' or ') : 'never';
    if ('not' in o) return `not (${formatValue(o.not)})`;
    if (typeof o.field === 'string' && typeof o.op === 'string' && o.op in OPS) {
      const v = o.value === undefined ? '' : ' ' + (typeof o.value === 'string' ? o.value : JSON.stringify(o.value));
      return `${shortPath(o.field)} ${OPS[o.op]}${v}`;
    }
    if (typeof o.op === 'string') return [o.op, o.field ?? o.tag].filter((x) => typeof x === 'string').join(' ');
    for (const k of ['label', 'name', 'title', 'id']) if (typeof o[k] === 'string' && o[k]) return String(o[k]);
    return clip(JSON.stringify(o));
  }
  return '';
}

/** "Wait {{duration}}" with { duration: '3 days' } → "Wait 3 days". */
export function summarise(type: NodeType | undefined, config: Record<string, unknown>): string {
  if (!type?.summary) return type?.description ?? '';
  const text = type.summary.replace(/(\w?)\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_all, before: string, key: string) => {
    const value = formatValue(key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), config));
    // "Exit{{reason}}": a value glued to a word reads as "Exit: reason".
    return before + (value && before ? ': ' : '') + value;
  });
  return clip(text.replace(/\s+/g, ' ').replace(/“”/g, '').trim(), 60);
}
