// Lifecycle stages: the ordered list a business moves contacts through (subscriber →
// lead → MQL → SQL → opportunity → customer), and how many contacts stand at each.
// A contact's stage is its `stage` attribute (set by tend.action.set-stage, an import
// or the API); the list gives the values an order and a name to pick from, it does not
// refuse others: a contact at a stage not in the list is counted as "elsewhere".
import { Type, type Static } from '@sinclair/typebox';
import type { Queryable } from '../storage/db.js';
import { readSetting, writeSetting } from '../storage/settings.js';
import { countByAttribute } from '../storage/stages.js';

/** The same rule as the set-stage node's field. */
export const STAGE_PATTERN = '^[A-Za-z0-9 _-]{1,40}$';
export const STAGE_ATTRIBUTE = 'stage';

export const StagesInput = Type.Object(
  {
    stages: Type.Array(Type.String({ pattern: STAGE_PATTERN, description: 'A stage, as the stage attribute holds it' }), {
      minItems: 1, maxItems: 20, description: 'In order, first to last',
    }),
  },
  { additionalProperties: false },
);
export type StagesInput = Static<typeof StagesInput>;

export const DEFAULT_STAGES: StagesInput = { stages: ['subscriber', 'lead', 'MQL', 'SQL', 'opportunity', 'customer'] };

const SETTINGS_KEY = 'stages';

export function stagesProblems(input: StagesInput): { path: string; message: string }[] {
  const seen = new Map<string, number>();
  const problems: { path: string; message: string }[] = [];
  input.stages.forEach((s, i) => {
    // "MQL" and "mql" would be two stages to the attribute but one to a person reading the funnel.
    const folded = s.trim().toLowerCase();
    if (seen.has(folded)) problems.push({ path: `/stages/${i}`, message: `"${s}" is already stage ${seen.get(folded)! + 1}` });
    else seen.set(folded, i);
    if (s !== s.trim()) problems.push({ path: `/stages/${i}`, message: `"${s}" starts or ends with a space` });
  });
  return problems;
}

export async function readStages(db: Queryable): Promise<StagesInput> {
  return (await readSetting<StagesInput>(db, SETTINGS_KEY)) ?? DEFAULT_STAGES;
}

export async function writeStages(db: Queryable, input: StagesInput): Promise<void> {
  await writeSetting(db, SETTINGS_KEY, input);
}

export interface StageCount {
  stage: string;
  /** Contacts at this stage now. */
  contacts: number;
  /** Contacts at this stage or a later one: the funnel's bar, assuming contacts move forward. */
  reached: number;
}

export interface StageFunnel {
  stages: StageCount[];
  /** Contacts whose stage is not in the list, by stage. */
  elsewhere: { stage: string; contacts: number }[];
  /** Contacts with no stage yet. */
  none: number;
}

/**
 * Counts contacts per stage in one pass over contacts (a group-by on the attribute):
 * about a second at 1,000,000 contacts, which a screen someone opens can afford.
 */
export async function stageFunnel(db: Queryable, defined: string[]): Promise<StageFunnel> {
  const rows = await countByAttribute(db, STAGE_ATTRIBUTE);
  const counts = new Map(rows.map((r) => [r.stage, r.n]));
  let later = 0;
  const reachedFromEnd = [...defined].reverse().map((stage) => {
    later += counts.get(stage) ?? 0;
    return { stage, contacts: counts.get(stage) ?? 0, reached: later };
  });
  const known = new Set<string | null>([...defined, null]);
  return {
    stages: reachedFromEnd.reverse(),
    elsewhere: rows.filter((r) => !known.has(r.stage)).map((r) => ({ stage: r.stage!, contacts: r.n })).sort((a, b) => b.contacts - a.contacts),
    none: counts.get(null) ?? 0,
  };
}
