// `npm run bench -- lead`: issue #14's target 1 — the CPU one contact costs going
// through the peer kit's lead program (event → update contact → if → email), summed
// over every Tend process from /proc: server, worker, the Temporal dev server (on its
// SQLite file, as `tend start` runs it) and PostgreSQL (the postmaster, its live
// backends, and the CPU of backends that ended meanwhile). BENCH_LEAD contacts are
// posted one request each at concurrency BENCH_LEAD_CONCURRENCY, 60 % of them due a
// mail; the figures run from the first post until the last mail is at the SMTP sink.
// Target: ≤ 10 ms per contact. (The baseline the kit compares with is n8n's ~16 ms on
// this machine, measured by ../shared/peers, not here.)
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { apiClient, inLanes, sleep, startInfra } from './infra.js';
import { procStats, spawnTend, treeCpuSeconds } from './processes.js';
import { percentile, progress } from './stats.js';

const CONTACTS = Number(process.env.BENCH_LEAD ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_LEAD_CONCURRENCY ?? 20);
/** BENCH_STATEMENTS=1: also count PostgreSQL's statements per contact (pg_stat_statements), to see where its CPU goes. */
const STATEMENTS = Boolean(process.env.BENCH_STATEMENTS);

export interface LeadFigures { contacts: number; mails: number; seconds: number; perSecond: number; cpuMsPerContact: Record<string, number>; p50: number; p99: number; statements?: { calls: number; ms: number; planMs: number; query: string }[] }

export async function benchLead(log: (m: string) => void): Promise<LeadFigures> {
  const infra = await startInfra(log, { temporalOnFile: true, postgresFlags: STATEMENTS ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on'] : undefined });
  const arrived = new Map<string, number>();
  const sink = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, cb) {
      let head = '';
      stream.on('data', (c: Buffer) => { if (head.length < 8192) head += c.toString('latin1'); });
      stream.on('end', () => { const m = /^Subject: lead (\S+)/m.exec(head); if (m) arrived.set(m[1]!, performance.now()); cb(); });
    },
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-lead', TEND_DATA_DIR: infra.dir,
    SMTP_URL: `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}` };
  const server = await spawnTend('server', env);
  const worker = await spawnTend('worker', env);
  const api = apiClient(`http://127.0.0.1:${server.port}`, 'bench');
  const program = await api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'lead score → email',
    nodes: [
      { id: 'lead', type: 'tend.trigger.event', version: 1, config: { eventType: 'lead' } },
      { id: 'add10', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'lead_score', value: '{{event.properties.score}}' }, { op: 'increment', field: 'lead_score', by: 10 }] } },
      { id: 'hot', type: 'tend.logic.if', version: 1, config: { condition: { field: 'contact.attributes.lead_score', op: 'gte', value: 50 } } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'lead {{contact.externalId}}', html: '<p>Hello {{contact.externalId}}, your score is {{contact.attributes.lead_score}}.</p>', text: 'Hello' } },
    ],
    edges: [{ id: 'e1', source: 'lead', sourcePort: 'next', target: 'add10' }, { id: 'e2', source: 'add10', sourcePort: 'next', target: 'hot' }, { id: 'e3', source: 'hot', sourcePort: 'yes', target: 'mail' }],
  });
  await api('POST', `/api/flows/${program.id}/publish`);
  // A warm-up the figures leave out: caches, the workflow bundle, pooled connections.
  await inLanes(50, 10, async (i) => { await api('POST', '/api/events', { type: 'lead', externalId: `warm${i}`, email: `warm${i}@example.com`, properties: { score: 45 } }); });
  const warmDeadline = Date.now() + 120_000;
  while (arrived.size < 50) {
    if (Date.now() > warmDeadline) throw new Error(`lead bench: ${arrived.size} of 50 warm-up mails after 2 minutes`);
    await sleep(50);
  }
  arrived.clear();
  let statementsDb: import('pg').Client | undefined;
  if (STATEMENTS) {
    const pg = (await import('pg')).default;
    statementsDb = new pg.Client({ connectionString: infra.databaseUrl });
    await statementsDb.connect();
    await statementsDb.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await statementsDb.query('SELECT pg_stat_statements_reset()');
  }

  const pgPid = Number(fs.readFileSync(`${infra.dir}/postgres/postmaster.pid`, 'utf8').split('\n')[0]);
  const cpu = () => ({ server: procStats(server.pid).cpuSeconds, worker: procStats(worker.pid).cpuSeconds, temporal: procStats(infra.temporalPid).cpuSeconds, postgres: treeCpuSeconds(pgPid) });
  const before = cpu();
  const sent = new Map<string, number>();
  const start = performance.now();
  const expected = Math.round(CONTACTS * 0.6);
  await inLanes(CONTACTS, CONCURRENCY, async (i) => {
    const id = `c${i}`;
    sent.set(id, performance.now());
    await api('POST', '/api/events', { type: 'lead', externalId: id, email: `${id}@example.com`, properties: { score: i % 10 < 6 ? 45 : 20 } });
  });
  const deadline = Date.now() + 600_000;
  while (arrived.size < expected) {
    if (Date.now() > deadline) throw new Error(`lead bench: ${arrived.size} of ${expected} mails after 10 minutes`);
    progress('mails', arrived.size, expected);
    await sleep(100);
  }
  const seconds = (performance.now() - start) / 1000;
  const after = cpu();
  const latencies = [...arrived].map(([id, at]) => at - sent.get(id)!).sort((a, b) => a - b);
  let statements: LeadFigures['statements'];
  if (statementsDb) {
    const { rows } = await statementsDb.query<{ calls: string; ms: number; plan_ms: number; query: string }>(
      "SELECT calls, total_exec_time AS ms, total_plan_time AS plan_ms, query FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC LIMIT 60");
    statements = rows.map((r) => ({ calls: Number(r.calls) / CONTACTS, ms: r.ms / CONTACTS, planMs: r.plan_ms / CONTACTS, query: r.query.replace(/\s+/g, ' ').slice(0, 150) }));
    await statementsDb.end();
  }
  const cpuMsPerContact = Object.fromEntries(Object.keys(after).map((k) => [k, ((after[k as keyof typeof after] - before[k as keyof typeof before]) * 1000) / CONTACTS]));
  cpuMsPerContact.total = Object.values(cpuMsPerContact).reduce((a, b) => a + b, 0);
  await server.stop();
  await worker.stop();
  await new Promise<void>((r) => sink.close(() => r()));
  await infra.stop();
  return { contacts: CONTACTS, mails: arrived.size, seconds, perSecond: CONTACTS / seconds, cpuMsPerContact, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statements };
}

export function printLead(f: LeadFigures): void {
  const parts = Object.entries(f.cpuMsPerContact).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  console.log(`\nlead program (event → update contact → if → email), ${f.contacts} contacts at concurrency ${CONCURRENCY}, ${f.mails} mails: ${f.seconds.toFixed(1)} s = ${f.perSecond.toFixed(1)} contacts/s;`
    + ` CPU per contact ${f.cpuMsPerContact.total!.toFixed(1)} ms (${parts}) (target ≤ 10 ${f.cpuMsPerContact.total! <= 10 ? '✔' : '✘'}); event → mail p50 / p99 ${Math.round(f.p50)} / ${Math.round(f.p99)} ms (queued behind the runs)`);
  if (f.statements) {
    const total = f.statements.reduce((a, s) => a + s.calls, 0);
    const sum = (k: 'ms' | 'planMs') => f.statements!.reduce((a, s) => a + s[k], 0).toFixed(2);
    console.log(`PostgreSQL statements per contact (pg_stat_statements, top 60): ${total.toFixed(1)} calls, executing ${sum('ms')} ms, planning ${sum('planMs')} ms`);
    for (const s of f.statements) if (s.calls >= 0.05) console.log(`  ${s.calls.toFixed(2).padStart(6)} × ${s.ms.toFixed(3).padStart(7)} ms (plan ${s.planMs.toFixed(3)})  ${s.query}`);
  }
}
