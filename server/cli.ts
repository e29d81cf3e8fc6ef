#!/usr/bin/env node
// The `tend` command: start everything, or the server or worker alone, or migrate.
import { Command } from 'commander';
import { main } from './runtime.js';

const program = new Command('tend').description('Tend: visual marketing automation on Temporal and PostgreSQL');

for (const [name, description] of [
  ['start', 'run everything: embedded PostgreSQL and Temporal when not configured, worker, dispatcher, API and editor'],
  ['server', 'run the HTTP API, editor and event dispatcher (needs DATABASE_URL and TEMPORAL_ADDRESS)'],
  ['worker', 'run a Temporal worker for programs (needs DATABASE_URL and TEMPORAL_ADDRESS)'],
  ['migrate', 'apply database migrations and exit'],
] as const) {
  program.command(name).description(description).action(async () => {
    try {
      await main(name);
      process.exit(0);
    } catch (err) {
      console.error(`tend ${name}: ${(err as Error).message}`);
      process.exit(1);
    }
  });
}

await program.parseAsync(process.argv);
