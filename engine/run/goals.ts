// Goal nodes (plugins with `goal`): where a run jumps when a goal's condition holds.
import type { Condition } from '../plugin/conditions.js';
import type { NodePlugin } from '../plugin/index.js';

export interface GoalNode {
  nodeId: string;
  when: Condition;
  quick: boolean;
  /** Reads only the event: the workflow can check it as each event arrives. */
  onEvents: boolean;
}

function eventOnly(cond: Condition): boolean {
  if ('all' in cond) return cond.all.every(eventOnly);
  if ('any' in cond) return cond.any.every(eventOnly);
  if ('not' in cond) return eventOnly(cond.not);
  return 'field' in cond && cond.field.startsWith('event.');
}

export function goalNodes(config: Map<string, { plugin: NodePlugin; config: unknown }>): GoalNode[] {
  return [...config].flatMap(([nodeId, c]) => {
    if (!c.plugin.goal) return [];
    const when = c.plugin.goal(c.config);
    return [{ nodeId, when, quick: c.plugin.quick === true, onEvents: eventOnly(when) }];
  });
}
