#!/usr/bin/env node
// The `tend` command: run Tend (start, server, worker, migrate), and work with it from a
// terminal — programs (validate offline, import, export, list), contact and event
// imports, dry runs, and API keys. Each command's logic lives in its own module under cli/.
import { Command } from 'commander';
import { createApi, type ApiOptions } from './cli/api.js';
import { exportFlow, importFlows, listFlows, validateFiles } from './cli/flows.js';
import { importContacts } from './cli/contacts-import.js';
import { importEvents } from './cli/events-import.js';
import { simulateCommand } from './cli/simulate.js';
import { createKey, listKeys, revokeKey } from './cli/keys.js';

const program = new Command('tend').description('Tend: visual marketing automation on Temporal and PostgreSQL');

for (const [name, description] of [
  ['start', 'run everything: embedded PostgreSQL and Temporal when not configured, worker, dispatcher, API and editor'],
  ['server', 'run the HTTP API, editor and event dispatcher (needs DATABASE_URL and TEMPORAL_ADDRESS)'],
  ['worker', 'run a Temporal worker for programs (needs DATABASE_URL and TEMPORAL_ADDRESS)'],
  ['migrate', 'apply database migrations and exit'],
  ['stack', 'run only the embedded PostgreSQL and the Temporal dev server; print DATABASE_URL and TEMPORAL_ADDRESS (and write them with the process ids as JSON to TEND_STACK_FILE)'],
] as const) {
  program.command(name).description(description).action(async () => {
    try {
      // Loaded only here: the runtime's embedded PostgreSQL installs exit hooks that
      // would overrule the exit codes of the other commands.
      const { main } = await import('./runtime.js');
      await main(name);
      process.exit(0);
    } catch (err) {
      console.error(`tend ${name}: ${(err as Error).message}`);
      process.exit(1);
    }
  });
}

program.command('secrets').description('the secret that signs links in emails').command('rotate')
  .description('make a new signing secret (needs DATABASE_URL, or the embedded database); links signed with the one before keep working until the next rotation')
  .action(async () => {
    try {
      const { main } = await import('./runtime.js');
      await main('rotate-secret');
      process.exit(0);
    } catch (err) {
      console.error(`tend secrets rotate: ${(err as Error).message}`);
      process.exit(1);
    }
  });

/** Runs a command's logic; its number is the exit code, a thrown error is printed and exits 1. */
const run = (label: string, fn: (...args: any[]) => Promise<number>) => async (...args: any[]) => {
  try {
    process.exitCode = await fn(...args);
  } catch (err) {
    console.error(`tend ${label}: ${(err as Error).message}`);
    process.exitCode = 1;
  }
};
const collect = (value: string, previous: string[] = []) => [...previous, value];
const withApi = (cmd: Command) => cmd
  .option('--url <url>', 'the Tend API (default: TEND_URL or http://localhost:3000)')
  .option('--api-key <key>', 'the API key (default: TEND_API_KEY)');
const api = (opts: ApiOptions) => createApi(opts);

const flows = program.command('flows').description('program documents (tend.flow/v1)');
flows.command('validate').argument('<files...>', 'program documents').description('check documents offline against the local node registry (built-ins and TEND_PLUGINS); exit 1 on any problem')
  .option('--plugins <spec>', 'also load this plugin (path or package); repeatable', collect)
  .action(run('flows validate', (files: string[], opts) => validateFiles(files, opts)));
withApi(flows.command('import').argument('<paths...>', 'program documents or folders of them').description('create programs from documents through the API'))
  .option('--publish', 'publish each imported program')
  .action(run('flows import', (paths: string[], opts) => importFlows(api(opts), paths, opts)));
withApi(flows.command('export').argument('<id>', 'program id').description('write a program as a document'))
  .option('--out <file>', 'write to this file instead of stdout')
  .option('--version <version>', 'draft (default), live, or a version number')
  .action(run('flows export', (id: string, opts) => exportFlow(api(opts), id, opts)));
withApi(flows.command('list').description('programs with status, live version and contacts inside'))
  .option('--json', 'print JSON')
  .option('--archived', 'include archived programs')
  .action(run('flows list', (opts) => listFlows(api(opts), opts)));

const mapHelp = 'field=Column pairs, e.g. email=E-mail,attributes.plan=Plan,attributes.ltv:number=LTV; repeatable';
withApi(program.command('contacts').description('contacts').command('import').argument('<file>', 'a .csv (with a header row) or .jsonl file')
  .description('upsert contacts in batches; reports created / updated / unchanged / rejected rows (by line); exit 2 when rows were rejected'))
  .option('--map <pairs>', mapHelp, collect)
  .action(run('contacts import', (file: string, opts) => importContacts(api(opts), file, opts)));
withApi(program.command('events').description('events').command('import').argument('<file>', 'a .jsonl (or .csv) file of events')
  .description('back-fill events (occurredAt kept); a client id from the file or the line’s content makes re-runs store nothing twice'))
  .option('--map <pairs>', 'field=path pairs, e.g. type=event,email=user.email,occurredAt=ts; repeatable', collect)
  .action(run('events import', (file: string, opts) => importEvents(api(opts), file, opts)));

const keys = program.command('keys').description('scoped API keys (needs an admin key)');
withApi(keys.command('create').description('create a key; prints the whole key once'))
  .requiredOption('--name <name>', 'who or what uses it, e.g. ci')
  .requiredOption('--scope <scope>', 'read, write or admin')
  .action(run('keys create', (opts) => createKey(api(opts), opts)));
withApi(keys.command('list').description('keys with scope, prefix, last use and revocation'))
  .option('--json', 'print JSON')
  .action(run('keys list', (opts) => listKeys(api(opts), opts)));
withApi(keys.command('revoke').argument('<id>', 'key id (from `tend keys list`)').description('revoke a key at once'))
  .action(run('keys revoke', (id: string, opts) => revokeKey(api(opts), id)));

program.command('simulate').argument('<file>', 'a program document').description('dry-run a program for one contact and a timeline of events: path, waits, rendered messages; nothing is sent')
  .option('--contact <json>', 'the contact as JSON, or a JSON file: {"email":…,"attributes":{…},"timezone":…}')
  .option('--events <file>', 'the timeline as JSON Lines: {"type":…,"properties":{…},"occurredAt":…}')
  .option('--at <iso>', 'when the first event without occurredAt happens (default: now)')
  .option('--plugins <spec>', 'also load this plugin (path or package); repeatable', collect)
  .option('--html', 'print emails as HTML instead of text')
  .option('--json', 'print the simulation as JSON')
  .action(run('simulate', (file: string, opts) => simulateCommand(file, opts)));

await program.parseAsync(process.argv);
