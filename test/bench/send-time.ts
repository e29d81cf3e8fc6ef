// `npm run bench -- sendtime`: send-time optimisation at BENCH_STO_CONTACTS contacts
// (1,000,000 unless told), each with a few opens and clicks (3 on average): the time to
// choose one contact's best hour (what the "Wait for the best time" node asks, per
// run) against the time to read that contact's row alone (the floor of any per-contact
// work), and the population's hour (computed at most hourly per process).
import pg from 'pg';
import { startInfra } from './infra.js';
import { median, percentile, progress } from './stats.js';
import { bestSendHour, forgetPopulationHour } from '../../engine/audience/send-time.js';
import { migrate } from '../../engine/storage/migrate.js';

const CONTACTS = Number(process.env.BENCH_STO_CONTACTS ?? 1_000_000);
const SAMPLE = 500;

export interface SendTimeFigures { contacts: number; events: number; seedSeconds: number; bestHourMs: { p50: number; p99: number }; readRowMs: { p50: number; p99: number }; populationMs: number }

export async function benchSendTime(log: (m: string) => void): Promise<SendTimeFigures> {
  const infra = await startInfra(log);
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: 2 });
  try {
    await migrate(db);
    log(`send time: ${CONTACTS.toLocaleString()} contacts with opens and clicks …`);
    const seeded = Date.now();
    const batch = 50_000;
    for (let from = 1; from <= CONTACTS; from += batch) {
      const to = Math.min(CONTACTS, from + batch - 1);
      await db.query(
        `WITH c AS (INSERT INTO contacts (email, timezone) SELECT 'sto' || g || '@example.com', (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', NULL])[1 + g % 4] FROM generate_series($1::int, $2::int) g RETURNING id)
         INSERT INTO events (contact_id, type, properties, occurred_at, source)
         SELECT c.id, CASE WHEN k = 1 THEN 'email_clicked' ELSE 'email_opened' END, '{}'::jsonb, now() - make_interval(days => (k * 7 + (hashtext(c.id::text) & 31))::int, hours => (hashtext(c.id::text) & 15)::int), 'tend'
         FROM c, generate_series(1, 1 + (abs(hashtext(c.id::text)) % 5)) k`,
        [from, to],
      );
      progress('seeding', to, CONTACTS);
    }
    await db.query('VACUUM ANALYZE contacts');
    await db.query('VACUUM ANALYZE events');
    const events = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const seedSeconds = (Date.now() - seeded) / 1000;

    const { rows: sample } = await db.query<{ id: string; timezone: string | null }>('SELECT id, timezone FROM contacts TABLESAMPLE SYSTEM (1) LIMIT $1', [SAMPLE]);
    // A contact with no history asks for everyone's hour (then kept for an hour).
    const { rows: [fresh] } = await db.query<{ id: string }>("INSERT INTO contacts (email) VALUES ('sto-new@example.com') RETURNING id");
    forgetPopulationHour();
    const popStart = performance.now();
    const everyone = await bestSendHour(db, { id: fresh!.id, timezone: null }, 'UTC');
    const populationMs = performance.now() - popStart;
    if (everyone.from !== 'everyone') throw new Error(`expected everyone's hour, got ${JSON.stringify(everyone)}`);
    const best: number[] = [];
    const row: number[] = [];
    for (const c of sample) {
      let t = performance.now();
      await db.query('SELECT * FROM contacts WHERE id = $1', [c.id]);
      row.push(performance.now() - t);
      t = performance.now();
      await bestSendHour(db, c, c.timezone ?? 'UTC');
      best.push(performance.now() - t);
    }
    forgetPopulationHour();
    return {
      contacts: CONTACTS, events, seedSeconds, populationMs,
      bestHourMs: { p50: median(best), p99: percentile([...best].sort((a, b) => a - b), 99) },
      readRowMs: { p50: median(row), p99: percentile([...row].sort((a, b) => a - b), 99) },
    };
  } finally {
    await db.end();
    await infra.stop();
  }
}

export function printSendTime(f: SendTimeFigures): void {
  console.log(`\nsend-time optimisation at ${f.contacts.toLocaleString()} contacts and ${f.events.toLocaleString()} opens and clicks (seeded in ${f.seedSeconds.toFixed(0)} s), ${SAMPLE} contacts asked:`);
  console.log(`  one contact's best hour  p50 ${f.bestHourMs.p50.toFixed(2)} ms   p99 ${f.bestHourMs.p99.toFixed(2)} ms`);
  console.log(`  reading the contact row  p50 ${f.readRowMs.p50.toFixed(2)} ms   p99 ${f.readRowMs.p99.toFixed(2)} ms   ratio ${(f.bestHourMs.p50 / f.readRowMs.p50).toFixed(2)}`);
  console.log(`  everyone's hour (hourly) ${f.populationMs.toFixed(0)} ms`);
}
