// `npm run bench -- content`: GET /t/content, what every page view of a site with
// content slots asks, through a real server on BENCH_CONTENT_VISITORS visitors
// (100,000 unless told), a fifth of them in a segment a variant names. Each request
// is a visitor picked at random (one in five a stranger with no cookie Tend knows),
// asking for two slots and its pop-up forms, as t.js does; timed from the client, so the figures include HTTP on
// loopback and the per-client rate limit's statement. Target (#18): p99 ≤ 50 ms.
import pg from 'pg';
import { apiClient, inLanes, sleep, startInfra } from './infra.js';
import { spawnTend } from './processes.js';
import { percentile, progress } from './stats.js';

const VISITORS = Number(process.env.BENCH_CONTENT_VISITORS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_CONTENT_REQUESTS ?? 4000);
const LANES = Number(process.env.BENCH_CONTENT_LANES ?? 4);

export interface ContentFigures { visitors: number; requests: number; lanes: number; p50: number; p99: number; max: number; perSecond: number; variants: Record<string, number> }

export async function benchWebsiteContent(log: (m: string) => void): Promise<ContentFigures> {
  const infra = await startInfra(log);
  // The bench is one client IP: a limit high enough that it measures serving, not refusing.
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-content', TEND_DATA_DIR: infra.dir, TEND_RATE_LIMIT_BURST: '10000000', TEND_RATE_LIMIT_PER_SECOND: '10000000' };
  const server = await spawnTend('server', env);
  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    log(`website content: ${VISITORS.toLocaleString()} visitors …`);
    const batch = 50_000;
    for (let from = 1; from <= VISITORS; from += batch) {
      const to = Math.min(VISITORS, from + batch - 1);
      await db.query(
        `WITH made AS (
           INSERT INTO contacts (email, score, attributes)
           SELECT CASE WHEN g % 2 = 0 THEN 'v' || g || '@example.com' END, g % 100,
                  jsonb_build_object('stage', CASE WHEN g % 3 = 0 THEN 'lead' ELSE 'subscriber' END, 'plan', CASE WHEN g % 5 = 0 THEN 'pro' ELSE 'free' END)
           FROM generate_series($1::int, $2::int) g RETURNING id, attributes, score, email)
         INSERT INTO contact_identities (kind, value, contact_id)
         SELECT 'anonymous', 'visitor-' || substr(md5(id::text), 1, 16), id FROM made`,
        [from, to],
      );
      progress('seeding', to, VISITORS);
    }
    await db.query('VACUUM ANALYZE contacts, contact_identities');
    const vids = (await db.query<{ value: string }>("SELECT value FROM contact_identities WHERE kind = 'anonymous'")).rows.map((r) => r.value);
    const base = `http://127.0.0.1:${server.port}`;
    const api = apiClient(base, 'bench');
    await api('POST', '/api/segments', { key: 'customers', name: 'Customers', condition: { field: 'contact.attributes.plan', op: 'eq', value: 'pro' } });
    await api('POST', '/api/content-slots', {
      key: 'hero', name: 'Hero', defaultHtml: '<h2>Welcome</h2><p>Tools for teams.</p>',
      variants: [
        { key: 'customer', name: 'Customers', html: '<h2>Welcome back</h2><a href="/account" data-tend-cta="account">Your account</a>', condition: { field: 'contact.segments', op: 'contains', value: 'customers' } },
        { key: 'hot-lead', name: 'Hot leads', html: '<h2>Ready for a demo?</h2><a href="/demo" data-tend-cta="demo">Book a demo</a>', condition: { all: [{ field: 'contact.attributes.stage', op: 'eq', value: 'lead' }, { field: 'contact.score', op: 'gte', value: 50 }] } },
        { key: 'known', name: 'Known', html: '<p>Hello again</p>', condition: { field: 'contact.email', op: 'exists' } },
      ],
    });
    await api('POST', '/api/content-slots', { key: 'cta', name: 'Footer CTA', defaultHtml: '<a href="/signup" data-tend-cta="signup">Sign up</a>', variants: [{ key: 'upgrade', name: 'Upgrade', html: '<a href="/upgrade" data-tend-cta="upgrade">Upgrade</a>', condition: { field: 'contact.attributes.plan', op: 'eq', value: 'free' } }] });
    const form = await api('POST', '/api/forms', { name: 'Guide', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] });
    await api('PUT', `/api/forms/${form.id}/popup`, { style: 'modal', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: ['customers'], active: true });
    const { key } = await api('POST', '/api/site-keys', { name: 'bench' });
    await sleep(500);

    const variants: Record<string, number> = {};
    const ask = async () => {
      const vid = Math.random() < 0.2 ? `stranger-${Math.random().toString(36).slice(2, 12)}` : vids[Math.floor(Math.random() * vids.length)]!;
      const t0 = performance.now();
      const res = await fetch(`${base}/t/content?key=${key}&slots=hero,cta&popups=true&vid=${vid}`);
      const body = await res.json() as { slots: Record<string, { variant: string }>; popups: unknown[] };
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`GET /t/content: ${res.status} ${JSON.stringify(body)}`);
      const v = body.slots.hero!.variant;
      variants[v] = (variants[v] ?? 0) + 1;
      if (body.popups.length) variants['(pop-up)'] = (variants['(pop-up)'] ?? 0) + 1;
      return ms;
    };
    await inLanes(300, LANES, async () => void await ask()); // warm-up: caches, connections, JIT
    for (const k of Object.keys(variants)) delete variants[k];
    const times: number[] = [];
    const started = performance.now();
    await inLanes(REQUESTS, LANES, async () => { times.push(await ask()); if (times.length % 200 === 0) progress('requests', times.length, REQUESTS); });
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    return { visitors: VISITORS, requests: REQUESTS, lanes: LANES, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]!, perSecond: REQUESTS / seconds, variants };
  } finally {
    await db.end();
    await server.stop();
    await infra.stop();
  }
}

export function printWebsiteContent(f: ContentFigures): void {
  console.log(`\nwebsite content (GET /t/content, two slots and the pop-ups a page) on ${f.visitors.toLocaleString()} visitors, ${f.requests} requests, ${f.lanes} in flight:`);
  console.log(`  p50 ${f.p50.toFixed(1)} ms   p99 ${f.p99.toFixed(1)} ms (target ≤ 50)   max ${f.max.toFixed(1)} ms   ${f.perSecond.toFixed(0)} requests/s`);
  console.log(`  hero variants served (and pages given the customers' pop-up): ${Object.entries(f.variants).map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
