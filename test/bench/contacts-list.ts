// `npm run bench -- contacts`: the Contacts screen's list at BENCH_LIST_CONTACTS contacts
// (1,000,000 unless told), through the real server. A page deep in the list by its
// keyset cursor (?after=, what the screen's "Next" sends) against the second page, in
// the same run; and, as the baseline the keyset replaces, the same depth by ?offset=.
// The first page also counts every match (the total), which the pages after it skip.
// Also a tag filter and a search, which read more than a page (the total counts every
// match), so their cost is printed too.
import pg from 'pg';
import { sleep, startInfra } from './infra.js';
import { spawnTend } from './processes.js';
import { median, progress } from './stats.js';
import { encodeCursor } from '../../server/cursor.js';

const CONTACTS = Number(process.env.BENCH_LIST_CONTACTS ?? 1_000_000);
const REPEAT = 15;

export interface ListFigures { contacts: number; seedSeconds: number; ms: Record<string, number> }

export async function benchContactsList(log: (m: string) => void): Promise<ListFigures> {
  const infra = await startInfra(log);
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-list', TEND_DATA_DIR: infra.dir };
  const server = await spawnTend('server', env);
  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    // Written straight into the table, a second apart, a tenth tagged, attributes of a usual size.
    log(`contacts list: ${CONTACTS.toLocaleString()} contacts …`);
    const seeded = Date.now();
    const batch = 100_000;
    for (let from = 1; from <= CONTACTS; from += batch) {
      await db.query(
        `INSERT INTO contacts (email, tags, attributes, created_at)
         SELECT 'c' || g || '@example.com', CASE WHEN g % 10 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END,
                jsonb_build_object('first_name', 'Name' || g, 'plan', CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END, 'city', 'City' || (g % 500)),
                now() - make_interval(secs => $3::int - g)
         FROM generate_series($1::int, $2::int) g`,
        [from, Math.min(CONTACTS, from + batch - 1), CONTACTS],
      );
      progress('seeding', Math.min(CONTACTS, from + batch - 1), CONTACTS);
    }
    await db.query('VACUUM ANALYZE contacts');
    const seedSeconds = (Date.now() - seeded) / 1000;

    const depth = Math.floor(CONTACTS / 2);
    const cursorAt = async (offset: number) => {
      const { rows: [row] } = await db.query<{ at: string; id: string }>(
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM contacts WHERE merged_into IS NULL ORDER BY created_at, id OFFSET $1 LIMIT 1`,
        [offset],
      );
      return encodeCursor([row!.at, row!.id]);
    };
    const base = `http://127.0.0.1:${server.port}/api/contacts`;
    const time = async (label: string, url: string, times = REPEAT) => {
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const t0 = performance.now();
        const res = await fetch(url, { headers: { authorization: 'Bearer bench' } });
        if (!res.ok) throw new Error(`${label}: ${res.status} ${await res.text()}`);
        await res.json();
        ms.push(performance.now() - t0);
      }
      log(`contacts list: ${label} ${median(ms).toFixed(1)} ms (median of ${times})`);
      return median(ms);
    };
    await sleep(500);
    const ms = {
      first: await time('first page (with the total)', `${base}?limit=50`),
      second: await time('second page by ?after=', `${base}?limit=50&after=${await cursorAt(49)}`),
      keysetDeep: await time(`page at ${depth.toLocaleString()} by ?after=`, `${base}?limit=50&after=${await cursorAt(depth - 1)}`),
      offsetDeep: await time(`page at ${depth.toLocaleString()} by ?offset=`, `${base}?limit=50&offset=${depth}`, 5),
      tagFirst: await time('first page of tag vip', `${base}?limit=50&tag=vip`, 5),
      search: await time('search "City42"', `${base}?limit=50&q=City42`, 3),
    };
    return { contacts: CONTACTS, seedSeconds, ms };
  } finally {
    await db.end();
    await server.stop();
    await infra.stop();
  }
}

export function printContactsList(f: ListFigures): void {
  const r = (a: number, b: number) => (a / b).toFixed(2);
  console.log(`\ncontacts list at ${f.contacts.toLocaleString()} contacts (seeded in ${f.seedSeconds.toFixed(0)} s), median ms per page of 50 through the API:`);
  console.log(`  first page, with the total ${f.ms.first!.toFixed(1)}   (counting every contact is most of it)`);
  console.log(`  second page (?after=)      ${f.ms.second!.toFixed(1)}`);
  console.log(`  half way, keyset (?after=) ${f.ms.keysetDeep!.toFixed(1)}   ratio to the second page ${r(f.ms.keysetDeep!, f.ms.second!)} (target: about 1, any depth costs the same)`);
  console.log(`  half way, offset (baseline) ${f.ms.offsetDeep!.toFixed(1)}   ratio to keyset ${r(f.ms.offsetDeep!, f.ms.keysetDeep!)}`);
  console.log(`  tag filter, first page     ${f.ms.tagFirst!.toFixed(1)}`);
  console.log(`  search, first page         ${f.ms.search!.toFixed(1)}   (a scan of every contact's fields; the total counts every match)`);
}
