// A `tend.contact_changed` event (engine/storage/contact-changes.ts) in words, for the
// contact's history of changes: one line per field ("City: Berlin → Paris") and who made
// the change (a person or key through the API, a program's node, a form, RFM …).
import { formatValue } from './summary.js';

type Change = { from: unknown; to: unknown };
export interface ChangeLine { what: string; from: string; to: string }

const FIELDS: Record<string, string> = { email: 'Email', phone: 'Phone', timezone: 'Time zone', tags: 'Tags', unsubscribed: 'Unsubscribed from all email' };
const shown = (v: unknown) => formatValue(v) || '—';

export function changeLines(properties: Record<string, unknown>): ChangeLine[] {
  const changes = (properties.changes ?? {}) as Record<string, unknown>;
  const lines: ChangeLine[] = [];
  for (const [field, label] of Object.entries(FIELDS)) {
    const c = changes[field] as Change | undefined;
    if (c) lines.push({ what: label, from: shown(c.from), to: shown(c.to) });
  }
  for (const [name, c] of Object.entries((changes.attributes ?? {}) as Record<string, Change>)) lines.push({ what: name, from: shown(c.from), to: shown(c.to) });
  for (const [channel, c] of Object.entries((changes.consent ?? {}) as Record<string, Change>)) lines.push({ what: `Consent: ${channel}`, from: shown(c.from), to: shown(c.to) });
  return lines;
}

/** Who made the change, from the context the engine recorded with it. */
export function changedBy(properties: Record<string, unknown>, programName: (id: unknown) => string): string {
  if (properties.programId) return `${programName(properties.programId)} · ${String(properties.nodeId ?? '')}`;
  if (properties.formId) return 'a form submission';
  if (typeof properties.by === 'string') return properties.by;
  return 'an event or an import';
}
