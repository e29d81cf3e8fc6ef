// The baselines for `npm run bench`: a bare Temporal workflow shaped like a Tend run
// without a wait — one local activity that takes as many no-op steps as Tend's
// benchmark program has nodes (until 2026-12-04 it was one ordinary activity per node,
// Tend's shape then); and one that only sleeps for 30 days, like a contact parked in a wait.
import { proxyLocalActivities, proxySinks, sleep, type Sinks } from '@temporalio/workflow';
import type * as activities from './bare-activities.js';

const { noops } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export interface BenchSinks extends Sinks {
  bench: { parked(): void };
}
const { bench } = proxySinks<BenchSinks>();

export async function bare(steps: number): Promise<number> {
  return noops(steps);
}

export async function parked(): Promise<void> {
  // A sink call leaves no trace in the history: the benchmark counts parked workflows
  // without adding work to them.
  bench.parked();
  await sleep('30 days');
}
