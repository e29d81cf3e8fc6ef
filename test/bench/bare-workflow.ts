// The baseline for `npm run bench`: a bare Temporal workflow that calls the same
// number of activities as Tend's benchmark program has nodes, each doing nothing.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './bare-activities.js';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export async function bare(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await noop(i);
  return steps;
}
