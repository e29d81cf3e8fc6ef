// The live programs' triggers, compiled once per program version, and whether an
// event enters a contact through one (its event type, its addressee, its filter on the
// contact and the event, its rule on recent history).
import type { Db } from '../storage/db.js';
import { livePrograms, getVersion } from '../storage/programs.js';
import type { EventRow } from '../storage/events.js';
import type { Contact, TendEvent, TriggerSpec } from '../plugin/index.js';
import { evaluate } from '../plugin/conditions.js';
import type { Registry } from '../plugin/registry.js';
import { migratedConfig } from '../flow/validate.js';
import type { FlowDocument } from '../flow/document.js';
import { goalNodes } from '../run/goals.js';
import type { EnrollmentInput } from '../run/types.js';
import { historyHolds } from './history.js';

export interface TriggerEntry {
  programId: string;
  version: number;
  nodeId: string;
  /** The trigger plugin is quick: the workflow runs it as a local activity. */
  quick: boolean;
  spec: TriggerSpec;
  doc: FlowDocument;
  /** The program's goal nodes that read only events, for the workflow to check as events arrive. */
  goals: EnrollmentInput['goals'];
}

/** The triggers of the programs live now; a version is compiled the first time it is seen. */
export function createTriggerCatalogue(db: Db, registry: Registry): () => Promise<TriggerEntry[]> {
  const compiled = new Map<string, TriggerEntry[]>();
  return async function triggers(): Promise<TriggerEntry[]> {
    const out: TriggerEntry[] = [];
    for (const p of await livePrograms(db)) {
      const key = `${p.id}@${p.version}`;
      let entries = compiled.get(key);
      if (!entries) {
        const doc = await getVersion(db, p.id, p.version);
        entries = [];
        const config = new Map<string, NonNullable<ReturnType<typeof migratedConfig>>>();
        for (const node of doc?.nodes ?? []) {
          const m = migratedConfig(registry, node);
          if (m) config.set(node.id, m);
        }
        const goals = goalNodes(config).filter((g) => g.onEvents).map(({ nodeId, when, quick }) => ({ nodeId, when, quick }));
        for (const [nodeId, m] of config) {
          if (m.plugin.category === 'trigger' && m.plugin.trigger) entries.push({ programId: p.id, version: p.version, nodeId, quick: m.plugin.quick === true, spec: m.plugin.trigger(m.config as never), doc: doc!, goals: goals.length ? goals : undefined });
        }
        compiled.set(key, entries);
      }
      out.push(...entries);
    }
    return out;
  };
}

/**
 * Whether this trigger enters the event's contact (`event`: the row as plugins see it).
 * `contactNow` is called only for a filter or history rule that looks at the contact.
 */
export async function triggerHolds(db: Db, t: TriggerEntry, row: EventRow, event: TendEvent, contactNow: () => Promise<Contact | undefined>): Promise<boolean> {
  if (t.spec.eventType !== row.type) return false;
  if (t.spec.addressed && (row.properties as Record<string, unknown>).programId !== t.programId) return false;
  if (t.spec.where && !evaluate(t.spec.where, { contact: await contactNow(), event })) return false;
  if (t.spec.history && !(await historyHolds(db, t.spec.history, row, await contactNow()))) return false;
  return true;
}
