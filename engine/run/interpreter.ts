// The one interpreter of a run's rules between its steps, pure so that the Temporal
// workflow (engine/temporal/workflows.ts) and the dry-run simulator
// (engine/testing/simulator.ts) decide alike: what an event that arrives means for a
// run, which way a wait for an event leaves, and why a run that leaves early ends.
// It does no I/O and reads no clock (the workflow imports it).
import { evaluate, type Condition } from '../plugin/conditions.js';
import { matchesEvent, type SignalledEvent } from '../plugin/match.js';
import type { Directive, EventMatch } from '../plugin/index.js';

/** What a run watches for in every event, from wherever it is (set at entry from its program). */
export interface Watch {
  /** The program's goal: met, the run ends as `exited` ("goal reached"). */
  goal?: Condition;
  /** The trigger's exit event. */
  exitOn?: { when: Condition; reason: string };
  /** The run's program, so another program's "remove from" can address it. */
  programId?: string;
  /** Goal nodes whose condition reads only the event: the run jumps there once. */
  goals?: { nodeId: string; when: Condition; quick: boolean }[];
}

/** Why a run leaves from wherever it is; absent while it goes on. */
export interface Leaving {
  goalReached: boolean;
  removedBy?: string;
  exitedBecause?: string;
}

export const staying = (l: Leaving): boolean => !l.goalReached && l.removedBy === undefined && l.exitedBecause === undefined;

/**
 * What one arriving event changes: the run's leaving (goal, removal, exit event, each
 * kept once set) and the goal node it should jump to, if it has not jumped yet and
 * none is pending. `node` is where the run is (a goal node it is at is not jumped to).
 */
export function meaningOf(watch: Watch, event: SignalledEvent, now: { node: string | null; leaving: Leaving; jumpTaken: boolean; jumpPending: boolean }): { leaving: Leaving; jumpTo?: { nodeId: string; quick: boolean } } {
  const leaving = { ...now.leaving };
  if (watch.goal && evaluate(watch.goal, { event })) leaving.goalReached = true;
  if (event.type === 'tend.exit_requested' && watch.programId && event.properties.programId === watch.programId) {
    leaving.removedBy = String(event.properties.by ?? 'another program');
  }
  if (watch.exitOn && evaluate(watch.exitOn.when, { event })) leaving.exitedBecause = watch.exitOn.reason;
  if (now.jumpTaken || now.jumpPending) return { leaving };
  const goal = watch.goals?.find((g) => g.nodeId !== now.node && evaluate(g.when, { event }));
  return goal ? { leaving, jumpTo: { nodeId: goal.nodeId, quick: goal.quick } } : { leaving };
}

/** How a run that leaves early ends: the finish record's reason, and the workflow's outcome. */
export function leaveReason(l: Leaving): { reason: string; outcome: 'goal' | 'removed' | 'exit event' } {
  if (l.goalReached) return { reason: 'goal reached', outcome: 'goal' };
  if (l.removedBy !== undefined) return { reason: `removed by ${l.removedBy}`, outcome: 'removed' };
  return { reason: l.exitedBecause ?? 'exit event', outcome: 'exit event' };
}

/**
 * How a wait for an event ends, given the events that arrived during it in order: the
 * first that matches takes the event port, and it and those before it are used up;
 * with none, the timeout port, and every one of them is used up.
 */
export function afterWaitForEvent(d: { match: EventMatch; eventPort: string; timeoutPort: string }, arrived: readonly SignalledEvent[]): { port: string; received?: SignalledEvent; usedUp: number } {
  const found = arrived.findIndex((e) => matchesEvent(d.match, e));
  if (found < 0) return { port: d.timeoutPort, usedUp: arrived.length };
  return { port: d.eventPort, received: arrived[found], usedUp: found + 1 };
}

/** The ports a directive may leave by: a plugin must declare each of them. */
export function portsUsedBy(d: Directive): string[] {
  if (d.kind === 'waitForEvent') return [d.eventPort, d.timeoutPort];
  if (d.kind === 'exit' || d.kind === 'again') return [];
  return [d.port];
}
