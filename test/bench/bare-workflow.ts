// The baselines for `npm run bench`: a bare Temporal workflow that calls the same
// number of activities as Tend's benchmark program has nodes, each doing nothing; and
// one that only sleeps for 30 days, like a contact parked in a wait.
import { proxyActivities, proxySinks, sleep, type Sinks } from '@temporalio/workflow';
import type * as activities from './bare-activities.js';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export interface BenchSinks extends Sinks {
  bench: { parked(): void };
}
const { bench } = proxySinks<BenchSinks>();

export async function bare(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await noop(i);
  return steps;
}

export async function parked(): Promise<void> {
  // A sink call leaves no trace in the history: the benchmark counts parked workflows
  // without adding work to them.
  bench.parked();
  await sleep('30 days');
}
