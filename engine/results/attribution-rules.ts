// The attribution settings' rules, pure, for the flow validator (flow/validate.ts) and
// for the figures (attribution.ts): conversions are counted in SQL over the event log,
// so the goal they count must read only the event.
import type { Condition } from '../plugin/conditions.js';
import type { FlowSettings } from '../flow/document.js';

export const DEFAULT_WINDOW = '7 days';

/** Whether a condition reads only the event it is checked against (no contact fields, no facts). */
export function readsOnlyTheEvent(cond: Condition): boolean {
  if ('all' in cond) return cond.all.every(readsOnlyTheEvent);
  if ('any' in cond) return cond.any.every(readsOnlyTheEvent);
  if ('not' in cond) return readsOnlyTheEvent(cond.not);
  return 'field' in cond && cond.field.startsWith('event.');
}

/**
 * What the attribution settings need of the rest of the settings, each problem at the
 * field it is about.
 * @example attributionProblems({ holdoutPercent: 10 }) // [{ path: '/settings/holdoutPercent', message: 'holdoutPercent needs a goal …' }]
 */
export function attributionProblems(settings: FlowSettings | undefined): { path: string; message: string }[] {
  if (!settings) return [];
  const uses = (['goalValue', 'attributionWindow', 'holdoutPercent'] as const).filter((k) => settings[k] !== undefined);
  if (!uses.length) return [];
  if (!settings.goal) return uses.map((k) => ({ path: `/settings/${k}`, message: `${k} needs a goal (settings.goal): conversions are the events that meet it` }));
  if (!readsOnlyTheEvent(settings.goal as Condition)) {
    return [{ path: '/settings/goal', message: `with ${uses.join(', ')}, the goal must read only the event (e.g. event.type is order_completed), so that its conversions can be counted; contact fields and event counts cannot be` }];
  }
  return [];
}
