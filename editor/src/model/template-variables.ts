// Variables for template fields: what the insert menu offers (the fields the data
// catalogue has seen, as Handlebars paths) and which paths a template uses that no
// contact or event has ever carried, with the nearest one seen ("did you mean").
import type { DataCatalogue } from '../../../engine/audience/data-catalogue.js';

export interface Variable { path: string; label: string; group: string }

/** Paths a template may use, from the catalogue: contact fields, attributes, event properties. */
export function templateVariables(catalogue: DataCatalogue | undefined): Variable[] {
  const vars: Variable[] = [];
  const seen = new Set<string>();
  const add = (v: Variable) => { if (!seen.has(v.path)) { seen.add(v.path); vars.push(v); } };
  for (const f of catalogue?.contact ?? []) if (f.path !== 'contact.segments') add({ path: f.path, label: f.label, group: 'Contact' });
  for (const f of catalogue?.attributes ?? []) add({ path: f.path, label: f.label, group: 'Contact attributes' });
  for (const e of catalogue?.events ?? []) for (const p of e.properties) add({ path: p.path, label: `${p.label} (${e.type})`, group: 'The event that started the run' });
  return vars;
}

const PATH = /\{\{\{?\s*(?:[#/^]?(?:if|unless|each|with)\s+|[a-z]+\s+)*((?:contact|event)(?:\.[A-Za-z0-9_$-]+)+)/g;

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/**
 * Paths under contact.attributes / event.properties that the data has never shown, each
 * with the closest known path when one is close (case, underscores, a typo).
 *
 *   unknownPaths('Hi {{contact.attributes.firstname}}', vars)
 *   // [{ path: 'contact.attributes.firstname', suggestion: 'contact.attributes.firstName' }]
 */
export function unknownPaths(template: string, vars: Variable[]): { path: string; suggestion?: string }[] {
  const known = new Set(vars.map((v) => v.path));
  if (!vars.some((v) => v.path.startsWith('contact.attributes.') || v.path.startsWith('event.properties.'))) return []; // no data yet: nothing to compare with
  const found: { path: string; suggestion?: string }[] = [];
  for (const m of template.matchAll(PATH)) {
    const path = m[1]!;
    // Only what the catalogue can vouch for: attribute and property names, not contact.score and friends.
    const inData = /^(contact\.attributes|event\.properties)\.[^.]+/.exec(path)?.[0];
    if (!inData || known.has(inData) || found.some((f) => f.path === inData)) continue;
    const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
    const candidates = [...known].filter((k) => k.split('.').slice(0, 2).join('.') === inData.split('.').slice(0, 2).join('.'));
    const best = candidates.map((k) => ({ k, d: squash(k) === squash(inData) ? 0 : distance(k, inData) })).sort((a, b) => a.d - b.d)[0];
    found.push({ path: inData, ...(best && best.d <= 3 ? { suggestion: best.k } : {}) });
  }
  return found;
}
