// What publishing would change, in words: the draft against the live version — nodes
// added, removed and changed (with the settings that changed, by their form titles),
// connections added and removed, program settings changed. Empty when they are the
// same program (key order and positions do not count). The editor's publish dialog and
// the audit log's entry for a publish both say it with this.
import type { FlowDocument, FlowNode } from './document.js';

/** What names a node kind: the editor's catalogue and the engine's plugin registry both answer it. */
export interface NodeKinds {
  get(type: string): { title?: string; configSchema?: unknown } | undefined;
}

/** A setting's key as words: `eventType` → "Event type". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface Change { kind: 'added' | 'removed' | 'changed' | 'connected' | 'disconnected' | 'settings'; text: string }

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

export function diffPrograms(live: FlowDocument, draft: FlowDocument, catalogue: NodeKinds): Change[] {
  const name = (n: FlowNode) => n.label || catalogue.get(n.type)?.title || n.type;
  const field = (n: FlowNode, key: string) => {
    const schema = catalogue.get(n.type)?.configSchema as { properties?: Record<string, { title?: string }> } | undefined;
    return schema?.properties?.[key]?.title ?? humanize(key);
  };
  const before = new Map(live.nodes.map((n) => [n.id, n]));
  const after = new Map(draft.nodes.map((n) => [n.id, n]));
  const changes: Change[] = [];
  for (const n of draft.nodes) if (!before.has(n.id)) changes.push({ kind: 'added', text: `Added ${name(n)} (${n.id})` });
  for (const n of live.nodes) if (!after.has(n.id)) changes.push({ kind: 'removed', text: `Removed ${name(n)} (${n.id}); contacts waiting there move on as the live version says until they leave it` });
  for (const n of draft.nodes) {
    const old = before.get(n.id);
    if (!old) continue;
    const keys = [...new Set([...Object.keys(old.config ?? {}), ...Object.keys(n.config ?? {})])].filter((k) => canonical(old.config?.[k]) !== canonical(n.config?.[k]));
    const what = [...keys.map((k) => field(n, k)), ...(old.label !== n.label ? ['label'] : []), ...(old.type !== n.type || old.version !== n.version ? ['node type'] : [])];
    if (what.length) changes.push({ kind: 'changed', text: `Changed ${name(n)} (${n.id}): ${what.join(', ')}` });
  }
  const edge = (d: FlowDocument) => new Set(d.edges.map((e) => `${e.source}\u0000${e.sourcePort}\u0000${e.target}`));
  const [eb, ea] = [edge(live), edge(draft)];
  const describe = (key: string, d: FlowDocument) => {
    const [s, port, t] = key.split('\u0000');
    const byId = new Map(d.nodes.map((n) => [n.id, n]));
    return `${byId.get(s!) ? name(byId.get(s!)!) : s} (${port}) → ${byId.get(t!) ? name(byId.get(t!)!) : t}`;
  };
  for (const k of ea) if (!eb.has(k)) changes.push({ kind: 'connected', text: `Connected ${describe(k, draft)}` });
  for (const k of eb) if (!ea.has(k)) changes.push({ kind: 'disconnected', text: `Disconnected ${describe(k, live)}` });
  const settings = [...new Set([...Object.keys(live.settings ?? {}), ...Object.keys(draft.settings ?? {})])]
    .filter((k) => canonical((live.settings as Record<string, unknown> | undefined)?.[k]) !== canonical((draft.settings as Record<string, unknown> | undefined)?.[k]));
  if (settings.length) changes.push({ kind: 'settings', text: `Program settings changed: ${settings.map(humanize).join(', ')}` });
  if (live.name !== draft.name) changes.push({ kind: 'settings', text: `Renamed “${live.name}” → “${draft.name}”` });
  return changes;
}
