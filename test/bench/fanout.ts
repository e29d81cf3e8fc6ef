// `npm run bench -- fanout`: issue #14's target 5 — a "send to everyone who…": BENCH_FANOUT
// contacts (100,000 unless told) enter one program at the same moment, through a
// schedule trigger whose audience is all of them (the calendar fires once, a minute or
// two after publishing), and each is sent one email. Measured from the moment the
// calendar recorded their entries until the last email is at the SMTP sink: contacts/s,
// and the CPU per contact of every Tend process (as the lead bench sums it). The
// target is the per-contact rate of target 2 (twice n8n's on this machine, ~90/s).
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { apiClient, sleep, startInfra } from './infra.js';
import { procStats, spawnTend, treeCpuSeconds } from './processes.js';
import { progress } from './stats.js';

const CONTACTS = Number(process.env.BENCH_FANOUT ?? 100_000);
/** Target 2's rate: twice the ~45 contacts/s n8n moved in the side-by-side kit on this machine. */
const TARGET_PER_SECOND = 90;

export interface FanoutFigures { contacts: number; firstMailSeconds: number; seconds: number; perSecond: number; cpuMsPerContact: Record<string, number> }

export async function benchFanout(log: (m: string) => void): Promise<FanoutFigures> {
  const infra = await startInfra(log, { temporalOnFile: true });
  let mails = 0;
  let firstMailAt = 0;
  const sink = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => { mails += 1; firstMailAt ||= Date.now(); cb(); });
    },
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-fanout', TEND_DATA_DIR: infra.dir,
    SMTP_URL: `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}` };
  const server = await spawnTend('server', env);
  const worker = await spawnTend('worker', env);
  const api = apiClient(`http://127.0.0.1:${server.port}`, 'bench');
  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();

  // The audience, written straight into the table: how they came to be contacts is not what is measured.
  log(`fan-out: ${CONTACTS.toLocaleString()} contacts …`);
  await db.query("INSERT INTO contacts (email, tags) SELECT 'fan' || g || '@example.com', ARRAY['fanout'] FROM generate_series(1, $1::int) g", [CONTACTS]);
  // Once a year, at the minute after next (UTC, the zone of contacts without one).
  const at = new Date(Date.now() + 120_000 - (Date.now() % 60_000));
  const cron = `${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
  const program = await api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'everyone tagged fanout',
    nodes: [
      { id: 'when', type: 'tend.trigger.schedule', version: 1, config: { cron, audience: { field: 'contact.tags', op: 'contains', value: 'fanout' } } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'fanout {{contact.email}}', html: '<p>Hello {{contact.email}}</p>', text: 'Hello' } },
    ],
    edges: [{ id: 'e1', source: 'when', sourcePort: 'next', target: 'mail' }],
  });
  await api('POST', `/api/flows/${program.id}/publish`);
  log(`fan-out: the calendar fires at ${at.toISOString()} (cron "${cron}")`);

  const pgPid = Number(fs.readFileSync(`${infra.dir}/postgres/postmaster.pid`, 'utf8').split('\n')[0]);
  const cpu = () => ({ server: procStats(server.pid).cpuSeconds, worker: procStats(worker.pid).cpuSeconds, temporal: procStats(infra.temporalPid).cpuSeconds, postgres: treeCpuSeconds(pgPid) });
  const fired = async () => (await db.query<{ at: Date | null }>("SELECT min(received_at) AS at FROM events WHERE type = 'tend.schedule_reached'")).rows[0]!.at;
  while (!(await fired())) {
    if (Date.now() > at.getTime() + 120_000) throw new Error('fan-out bench: the calendar did not fire');
    await sleep(200);
  }
  const before = cpu();
  const start = (await fired())!.getTime();
  const deadline = Date.now() + Math.max(600_000, CONTACTS * 100);
  while (mails < CONTACTS) {
    if (Date.now() > deadline) throw new Error(`fan-out bench: ${mails} of ${CONTACTS} mails by the deadline`);
    progress('mails', mails, CONTACTS);
    await sleep(250);
  }
  const seconds = (Date.now() - start) / 1000;
  const after = cpu();
  const cpuMsPerContact = Object.fromEntries(Object.keys(after).map((k) => [k, ((after[k as keyof typeof after] - before[k as keyof typeof before]) * 1000) / CONTACTS]));
  cpuMsPerContact.total = Object.values(cpuMsPerContact).reduce((a, b) => a + b, 0);
  await db.end();
  await server.stop();
  await worker.stop();
  await new Promise<void>((r) => sink.close(() => r()));
  await infra.stop();
  return { contacts: CONTACTS, firstMailSeconds: (firstMailAt - start) / 1000, seconds, perSecond: CONTACTS / seconds, cpuMsPerContact };
}

export function printFanout(f: FanoutFigures): void {
  const parts = Object.entries(f.cpuMsPerContact).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  console.log(`\nfan-out (schedule → email), ${f.contacts.toLocaleString()} contacts entering at once: first mail after ${f.firstMailSeconds.toFixed(1)} s, last after ${f.seconds.toFixed(1)} s`
    + ` = ${f.perSecond.toFixed(1)} contacts/s (target ≥ ${TARGET_PER_SECOND} ${f.perSecond >= TARGET_PER_SECOND ? '✔' : '✘'}); CPU per contact ${f.cpuMsPerContact.total!.toFixed(1)} ms (${parts})`);
}
