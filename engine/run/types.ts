// The shapes that pass between the enrollment workflows and their activities (and the
// dispatcher that starts them): kept apart from both, so neither imports the other's code.
import type { SignalledEvent } from '../plugin/match.js';
import type { Condition } from '../plugin/conditions.js';
import type { Directive } from '../plugin/index.js';

export interface Left {
  nodeId: string;
  visit: number;
  port: string | null;
}

export interface RunNodeInput {
  enrollmentId: string;
  nodeId: string;
  visit: number;
  left?: Left;
  /** The event that ended the run's last wait for an event. */
  received?: SignalledEvent;
  /** When the run came to this node (the first of the visits `again` repeats). */
  arrivedAt?: string;
  /** The run has jumped to a goal node already: goals are not checked again. */
  goalReached?: boolean;
}

export type Step =
  | { ended: true; outcome: 'completed' | 'exited' | 'failed' }
  | { ended: false; directive: Directive; targets: Record<string, string | null>; delayMs?: number; quick?: string[] }
  /** A goal node's condition holds: the run goes there instead (`quick`: run it as a local activity). */
  | { ended: false; jump: string; quick: boolean };

export interface RunStepInput extends RunNodeInput {
  /** How many times the run has entered each node so far, this node's visit included. */
  visits: Record<string, number>;
}

/**
 * What one step did: the nodes it ran in order (each with its visit number) and how the
 * last of them left. `at` names that last node: the directive is its.
 */
export type StepResult = Step & { entered: { nodeId: string; visit: number }[]; at: { nodeId: string; visit: number } };

export interface FinishInput {
  enrollmentId: string;
  status: 'completed' | 'exited' | 'failed';
  reason?: string;
  left?: Left;
}

export interface EnrollmentInput {
  enrollmentId: string;
  node: string;
  /** The program, so another program's "remove from" can address this run. */
  programId?: string;
  /** `node` is a quick plugin: run it as a local activity. */
  quick?: boolean;
  visits?: Record<string, number>;
  left?: Left;
  goal?: Condition;
  /** Goal nodes whose condition reads only the event: checked as each event arrives. */
  goals?: { nodeId: string; when: Condition; quick: boolean }[];
  /** When the run came to `node`, if it is repeating it with `again` (carried across continue-as-new). */
  arrivedAt?: string;
  /** The run jumped to a goal already (carried across continue-as-new). */
  goalTaken?: boolean;
  /** An event that ends the run from wherever it is (the trigger's `exitOn`). */
  exitOn?: { when: Condition; reason: string };
  /** The event that ended the last wait for an event, carried across continue-as-new. */
  received?: SignalledEvent;
  /** Event ids already handled, carried across continue-as-new. */
  seen?: string[];
  activity?: { heartbeatTimeoutMs?: number; startToCloseTimeoutMs?: number };
  /** History length past which the run continues as new (tests lower it). */
  historyLimit?: number;
  /**
   * The run's first step, taken already by the shared first-steps workflow, which ended
   * at a wait (or a goal, or the step's node limit): the run goes on from its result
   * instead of running `node` (engine/ARCHITECTURE.md, "First steps").
   */
  resume?: StepResult;
  /** Events that came for the run before it had a workflow of its own, taken as if signalled. */
  pending?: SignalledEvent[];
}

export interface FirstStepsInput {
  /** The new runs, each as its own workflow would start. */
  runs: EnrollmentInput[];
}

export interface FirstStepsActivityInput {
  /** The first-steps workflow's id: the runs it claims say so. */
  batchId: string;
  runs: EnrollmentInput[];
}
