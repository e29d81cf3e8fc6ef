// The enrollment workflow: one per contact in a program. A small interpreter of the
// directives that node activities return; it does no I/O and reads no clock.
import { proxyActivities, proxyLocalActivities, defineSignal, defineQuery, setHandler, condition, workflowInfo, continueAsNew, patched } from '@temporalio/workflow';
import type { Activities } from '../run/activities.js';
import type { EnrollmentInput, FirstStepsInput, Left, Step, StepResult } from '../run/types.js';
export type { EnrollmentInput, FirstStepsInput } from '../run/types.js';
import type { Directive } from '../plugin/index.js';
import type { SignalledEvent } from '../plugin/match.js';
import { afterWaitForEvent, leaveReason, meaningOf, staying, type Leaving } from '../run/interpreter.js';

/** A run's own workflow is named after its enrollment. */
export function workflowIdOf(enrollmentId: string): string {
  return `enrollment-${enrollmentId}`;
}

export const eventSignal = defineSignal<[SignalledEvent]>('event');
export const stateQuery = defineQuery<{ node: string | null; waiting: string | null }>('state');



/**
 * Runs entered together take their first step here, in one local activity, rather
 * than each in a workflow of its own: a run that ends without waiting (most of a burst:
 * the lead scored, the receipt sent) costs the Temporal server a share of one workflow.
 * A run that waits, or whose step failed, is handed to its own `enrollment` workflow by
 * the activity. A crash replays the activity: every effect is keyed by (enrollment,
 * node, visit) as always, and a run handed over already is only handed over again.
 */
export async function firstSteps(input: FirstStepsInput): Promise<number> {
  const { runFirstSteps } = proxyLocalActivities<Activities>({
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const { finished } = await runFirstSteps({ batchId: workflowInfo().workflowId, runs: input.runs });
  return finished;
}

/** Past this many history events the run continues as new between two nodes. */
const HISTORY_LIMIT = 4000;

export async function enrollment(input: EnrollmentInput): Promise<string> {
  const { runNode, runStep, finish } = proxyActivities<Activities>({
    startToCloseTimeout: input.activity?.startToCloseTimeoutMs ?? 5 * 60_000,
    heartbeatTimeout: input.activity?.heartbeatTimeoutMs ?? 20_000,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  // Quick nodes skip the round trip through the Temporal server; a crash replays them
  // like any activity, and their effects stay exactly-once through idempotency keys.
  const local = proxyLocalActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  // A step that starts at a quick node runs locally and may go on through sends and
  // webhooks (runStep), so it gets an ordinary activity's time; the SDK keeps the
  // workflow task alive meanwhile.
  const localStep = proxyLocalActivities<Activities>({
    startToCloseTimeout: input.activity?.startToCloseTimeoutMs ?? 5 * 60_000,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  // Runs started before steps ran several nodes at once replay node by node, as they were recorded.
  const chained = patched('tend-chained-steps');
  const quick = new Set<string>(input.quick ? [input.node] : []);
  const visits: Record<string, number> = { ...(input.visits ?? {}) };
  const seen = new Set(input.seen ?? []);
  const inbox: SignalledEvent[] = [];
  let leavingBy: Leaving = { goalReached: false };
  /** A goal node to jump to, once per run. */
  let jumpTo: string | undefined;
  /** Events received so far: `again` with `orOnEvent` wakes when this grows. */
  let arrivals = 0;
  /** When the run came to the current node; kept while `again` repeats it. */
  let arrivedAt: string | undefined = input.arrivedAt;
  let goalTaken = input.goalTaken ?? false;
  const interrupted = () => leaving() || jumpTo !== undefined;
  const takeJump = (): string => {
    const target = jumpTo!;
    jumpTo = undefined;
    goalTaken = true;
    return target;
  };
  /** The goal was met, another program removed this contact or an exit event came: leave from wherever the run is. */
  const leaving = () => !staying(leavingBy);
  const leave = async () => {
    const { reason, outcome } = leaveReason(leavingBy);
    await finish({ enrollmentId: input.enrollmentId, status: 'exited', reason, left });
    return outcome;
  };
  let node: string | null = input.node;
  let left: Left | undefined = input.left;
  let waiting: string | null = null;
  let received: SignalledEvent | undefined = input.received;
  let resume: StepResult | undefined = input.resume;

  const onEvent = (event: SignalledEvent) => {
    if (seen.has(event.id)) return; // dispatch is at-least-once
    seen.add(event.id);
    arrivals++;
    const meant = meaningOf(input, event, { node, leaving: leavingBy, jumpTaken: goalTaken, jumpPending: jumpTo !== undefined });
    leavingBy = meant.leaving;
    if (meant.jumpTo) {
      jumpTo = meant.jumpTo.nodeId;
      if (meant.jumpTo.quick) quick.add(meant.jumpTo.nodeId);
    }
    inbox.push(event);
  };
  setHandler(eventSignal, onEvent);
  setHandler(stateQuery, () => ({ node, waiting }));
  // Events that came while the run took its first step in the shared workflow, as if signalled then.
  if (resume) node = resume.at.nodeId;
  for (const event of input.pending ?? []) onEvent(event);

  while (node) {
    if (leaving()) return leave();
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_LIMIT)) {
      await continueAsNew<typeof enrollment>({ ...input, resume: undefined, pending: undefined, node, quick: quick.has(node), visits, left, received, seen: [...seen].slice(-500), goalTaken, arrivedAt });
    }
    let visit: number;
    let step: Step;
    if (resume) {
      // The first step was taken by the first-steps workflow: go on from where it ended.
      const ran: StepResult = resume;
      resume = undefined;
      for (const e of ran.entered) visits[e.nodeId] = Math.max(visits[e.nodeId] ?? 0, e.visit);
      node = ran.at.nodeId;
      visit = ran.at.visit;
      step = ran;
    } else if (chained) {
      visit = visits[node] = (visits[node] ?? 0) + 1;
      arrivedAt ??= new Date().toISOString(); // workflow time: replay-safe
      // One activity runs this node and those it leads straight on to (see runStep).
      const ran: StepResult = await (quick.has(node) ? localStep.runStep : runStep)({ enrollmentId: input.enrollmentId, nodeId: node, visit, left, received, goalReached: goalTaken, arrivedAt, visits });
      for (const e of ran.entered) visits[e.nodeId] = Math.max(visits[e.nodeId] ?? 0, e.visit);
      node = ran.at.nodeId;
      visit = ran.at.visit;
      step = ran;
    } else {
      visit = visits[node] = (visits[node] ?? 0) + 1;
      arrivedAt ??= new Date().toISOString();
      const run: Activities['runNode'] = quick.has(node) ? local.runNode : runNode;
      step = await run({ enrollmentId: input.enrollmentId, nodeId: node, visit, left, received, goalReached: goalTaken, arrivedAt });
    }
    left = undefined;
    // Only `again` comes back to the same node as the same stay.
    if (step.ended || !('directive' in step) || step.directive.kind !== 'again') arrivedAt = undefined;
    if (step.ended) return step.outcome;
    if ('jump' in step) {
      // A goal holds for the contact: leave this node unfinished and go to the goal.
      if (step.quick) quick.add(step.jump);
      jumpTo = step.jump;
    }
    if (jumpTo !== undefined) {
      left = { nodeId: node, visit, port: null };
      node = takeJump();
      continue;
    }
    if ('jump' in step) continue; // unreachable: narrows the type
    for (const id of step.quick ?? []) quick.add(id);
    const d: Directive = step.directive;
    if (d.kind === 'next') {
      node = step.targets[d.port] ?? null;
      left = undefined;
      if (!node) break;
      continue;
    }
    if (d.kind === 'again') {
      // The same node runs again later, as a new visit (a deferred send).
      waiting = d.orOnEvent ? 'condition' : 'time';
      const mark = arrivals;
      await condition(() => interrupted() || (d.orOnEvent === true && arrivals > mark), Math.max(1, step.delayMs ?? 0));
      waiting = null;
      left = { nodeId: node, visit, port: null };
      if (jumpTo !== undefined) {
        node = takeJump();
        arrivedAt = undefined;
      }
      continue;
    }
    let port: string;
    if (d.kind === 'sleep') {
      waiting = 'time';
      await condition(() => interrupted(), Math.max(1, step.delayMs ?? 0));
      port = d.port;
    } else if (d.kind === 'waitForEvent') {
      waiting = d.match.type;
      await condition(() => interrupted() || afterWaitForEvent(d, inbox).received !== undefined, Math.max(1, step.delayMs ?? 0));
      const woke = afterWaitForEvent(d, inbox);
      port = woke.port;
      if (woke.received) received = woke.received;
      inbox.splice(0, woke.usedUp);
    } else {
      return 'exit';
    }
    waiting = null;
    if (jumpTo !== undefined && !leaving()) {
      left = { nodeId: node, visit, port: null };
      node = takeJump();
      continue;
    }
    left = { nodeId: node, visit, port: leaving() ? null : port };
    node = step.targets[port] ?? null;
  }
  if (leaving()) return leave();
  await finish({ enrollmentId: input.enrollmentId, status: 'completed', left });
  return 'completed';
}
