// Benchmark driver for Tend, the twin of ../n8n/bench.js (same client, same counts, same sink, same
// figures): N POSTs /api/events (one event per request, one distinct contact each) at a fixed
// concurrency, then waits until the SMTP sink holds every expected email. Prints one JSON object.
// Usage: NODE_PATH=$PEER_DIR/node_modules node bench.js --n 1000 --c 20 --run r1
//        [--type lead] [--pids server=1,worker=2,postgres=3,temporal=4] [--score 45] [--nowait 1] [--timeout 300]
//        [--rate R: start request i at i/R s after the first]
// Env: TEND_URL (http://127.0.0.1:3000), TEND_API_KEY, SMTP_SINK_HTTP_PORT (2526), TEND_DATA_DIR (for sizes).
// CPU and memory: every --pids root and all its descendants, from /proc (RSS like the n8n bench;
// PSS too, sampled each second, because PostgreSQL's backends share their buffers and a sum of
// RSS counts those pages once per backend).
const { Agent, request } = require('undici');
const fs = require('fs');
const path = require('path');

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
  (v.startsWith('--') ? a.concat([[v.slice(2), all[i + 1]]]) : a), []));
const N = Number(args.n || 1000), C = Number(args.c || 20), RUN = args.run || 'r' + Date.now();
const BASE = (process.env.TEND_URL || `http://127.0.0.1:${process.env.TEND_PORT || 3000}`).replace(/\/$/, '');
const KEY = process.env.TEND_API_KEY;
const TYPE = args.type || 'lead';
const SINK = `http://127.0.0.1:${process.env.SMTP_SINK_HTTP_PORT || 2526}`;
const TIMEOUT_S = Number(args.timeout || 300);
const RATE = Number(args.rate || 0);          // requests/s in all (0: as fast as the concurrency allows)
const url = `${BASE}/api/events`;
if (!KEY) { console.error('TEND_API_KEY is not set'); process.exit(2); }
// --pids name=pid,...  (a plain --pid 123 works too, as "tend")
const ROOTS = Object.fromEntries((args.pids || (args.pid ? `tend=${args.pid}` : '')).split(',').filter(Boolean)
  .map((kv) => { const [k, v] = kv.split('='); return [k, Number(v)]; }));
const HAVE_PIDS = Object.keys(ROOTS).length > 0;

function procTable() {                 // pid -> {ppid, cpu_s}, children by ppid
  const kids = {}, cpu = {};
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      (kids[Number(f[1])] ||= []).push(Number(d)); cpu[d] = (Number(f[11]) + Number(f[12])) / 100; } catch {}
  }
  return { kids, cpu };
}
function treeOf(root, kids) { const out = []; const stack = [root]; while (stack.length) { const p = stack.pop(); out.push(p); stack.push(...(kids[p] || [])); } return out; }
function readKb(pid, file, re) { try { const m = re.exec(fs.readFileSync(`/proc/${pid}/${file}`, 'utf8')); return m ? Number(m[1]) : 0; } catch { return 0; } }
function sample(withPss) {             // per root: cpu_s, rss_kb, pss_kb (when asked)
  const { kids, cpu } = procTable(); const out = {};
  for (const [name, root] of Object.entries(ROOTS)) {
    let c = 0, rss = 0, pss = 0;
    for (const p of treeOf(root, kids)) {
      c += cpu[p] || 0; rss += readKb(p, 'status', /VmRSS:\s+(\d+)/);
      if (withPss) pss += readKb(p, 'smaps_rollup', /^Pss:\s+(\d+)/m);
    }
    out[name] = { cpu_s: c, rss_kb: rss, pss_kb: withPss ? pss : null };
  }
  return out;
}
const total = (s, k) => Object.values(s).reduce((a, v) => a + (v[k] || 0), 0);
const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (kb) => +(kb / 1024).toFixed(0);
async function sink(p, method = 'GET') { const r = await request(SINK + p, { method }); return r.body.json(); }
function duBytes(p) {
  let n = 0; let st; try { st = fs.lstatSync(p); } catch { return 0; }
  if (st.isDirectory()) { for (const e of fs.readdirSync(p)) n += duBytes(path.join(p, e)); } else n += st.size;
  return n;
}
async function tendMetrics() {         // Tend's own counters (GET /metrics, Prometheus text)
  try {
    const r = await request(`${BASE}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
    const text = await r.body.text(); const out = {};
    for (const line of text.split('\n')) {
      const m = /^(tend_(?:events_ingested_total|enrollments_started_total|enrollments_finished_total|enrollments_active|messages|node_failures_total|outbox_depth|dispatch_lag_seconds))(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (m && Number(m[3]) !== 0) out[m[1] + (m[2] || '')] = Number(m[3]);
    }
    return out;
  } catch (e) { return { error: e.message }; }
}

(async () => {
  const contacts = Array.from({ length: N }, (_, i) => {
    const id = `${RUN}-c${String(i).padStart(5, '0')}`;
    const score = args.score !== undefined ? Number(args.score) : i % 100;   // default: 60% reach >= 50 after +10
    return { id, email: `${id}@peer.local`, score };
  });
  const expected = new Set(contacts.filter((c) => c.score + 10 >= 50).map((c) => c.id));
  await sink('/reset', 'POST');
  let s0 = HAVE_PIDS ? sample(true) : null;
  const rssBefore = s0 ? total(s0, 'rss_kb') : null; let rssPeak = rssBefore || 0, pssPeak = s0 ? total(s0, 'pss_kb') : 0;
  const peakBy = {}; if (s0) for (const [k, v] of Object.entries(s0)) peakBy[k] = { rss_kb: v.rss_kb, pss_kb: v.pss_kb };
  let ticks = 0;
  const sampler = HAVE_PIDS && setInterval(() => {
    const s = sample(++ticks % 5 === 0);
    rssPeak = Math.max(rssPeak, total(s, 'rss_kb'));
    if (ticks % 5 === 0) pssPeak = Math.max(pssPeak, total(s, 'pss_kb'));
    for (const [k, v] of Object.entries(s)) { peakBy[k].rss_kb = Math.max(peakBy[k].rss_kb, v.rss_kb); if (v.pss_kb != null) peakBy[k].pss_kb = Math.max(peakBy[k].pss_kb, v.pss_kb); }
  }, 200);

  const agent = new Agent({ connections: C, pipelining: 1 });
  const sendTs = {}, dueTs = {}, httpLat = [], statuses = {};
  let next = 0;
  const cpu0 = HAVE_PIDS ? sample(false) : null;
  const T0 = Date.now();
  async function worker() {
    while (next < N) {
      const idx = next++; const c = contacts[idx];
      if (RATE) { const wait = T0 + (idx * 1000) / RATE - Date.now(); if (wait > 0) await sleep(wait); }   // --rate: paced
      const t = Date.now(); sendTs[c.id] = t;
      dueTs[c.id] = RATE ? T0 + (idx * 1000) / RATE : T0;   // when the event happened: all at once in a burst, on the schedule when paced
      try {
        const r = await request(url, { method: 'POST', dispatcher: agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
          body: JSON.stringify({ type: TYPE, externalId: c.id, email: c.email, properties: { score: c.score } }) });
        await r.body.text(); statuses[r.statusCode] = (statuses[r.statusCode] || 0) + 1;
      } catch (e) { statuses[e.code || 'ERR'] = (statuses[e.code || 'ERR'] || 0) + 1; }
      httpLat.push(Date.now() - t);
    }
  }
  await Promise.all(Array.from({ length: C }, worker));
  const acceptEnd = Date.now();
  const cpuEnd = HAVE_PIDS ? sample(false) : null;
  if (args.nowait) {                                  // send only (used by the durability probe)
    if (sampler) clearInterval(sampler);
    console.log(JSON.stringify({ run: RUN, n: N, concurrency: C, url, type: TYPE, http_statuses: statuses, t0_ms: T0,
      accept_s: (acceptEnd - T0) / 1000, accepted_req_per_s: +(N / ((acceptEnd - T0) / 1000)).toFixed(1),
      emails_expected: expected.size }));
    await agent.close(); return;
  }

  let st; const deadline = Date.now() + TIMEOUT_S * 1000;
  for (;;) { st = await sink('/stats'); if (st.unique >= expected.size || Date.now() > deadline) break; await sleep(100); }
  const settled = Date.now();
  const cpuDrained = HAVE_PIDS ? sample(false) : null;
  await sleep(1500);                                  // catch stragglers/duplicates
  st = await sink('/stats?ids=1');
  if (sampler) clearInterval(sampler);
  const sEnd = HAVE_PIDS ? sample(true) : null;
  const rssAfter = sEnd ? total(sEnd, 'rss_kb') : null; rssPeak = Math.max(rssPeak, rssAfter || 0);
  if (sEnd) { pssPeak = Math.max(pssPeak, total(sEnd, 'pss_kb')); for (const [k, v] of Object.entries(sEnd)) { peakBy[k].rss_kb = Math.max(peakBy[k].rss_kb, v.rss_kb); peakBy[k].pss_kb = Math.max(peakBy[k].pss_kb, v.pss_kb); } }

  const e2e = [], e2eDue = []; let missing = 0, unexpected = 0, lastArrival = 0;
  for (const id of expected) { const a = st.arrivals[id]; if (a === undefined) { missing++; continue; }
    e2e.push(a - sendTs[id]); e2eDue.push(a - dueTs[id]); lastArrival = Math.max(lastArrival, a); }
  for (const id of Object.keys(st.arrivals)) if (!expected.has(id)) unexpected++;
  e2e.sort((a, b) => a - b); e2eDue.sort((a, b) => a - b); httpLat.sort((a, b) => a - b);

  const cpuPct = (a, b, secs) => +(100 * (total(b, 'cpu_s') - total(a, 'cpu_s')) / secs).toFixed(0);
  const byComp = (a, b, secs) => Object.fromEntries(Object.keys(ROOTS).map((k) => [k, +(100 * (b[k].cpu_s - a[k].cpu_s) / secs).toFixed(0)]));
  const dataDir = process.env.TEND_DATA_DIR;
  const out = {
    run: RUN, system: 'tend', n: N, concurrency: C, rate: RATE || null, url, type: TYPE, http_statuses: statuses,
    accept_s: (acceptEnd - T0) / 1000, accepted_req_per_s: +(N / ((acceptEnd - T0) / 1000)).toFixed(1),
    http_ms: { p50: pct(httpLat, 50), p99: pct(httpLat, 99), max: httpLat.at(-1) },
    emails_expected: expected.size, emails_received: st.count, unique_received: st.unique, missing, unexpected,
    duplicates: st.duplicates, smtp_connections: st.connections,
    all_emails_s: missing || !expected.size ? null : (lastArrival - T0) / 1000,
    emails_per_s: missing || !expected.size ? null : +(expected.size / ((lastArrival - T0) / 1000)).toFixed(1),
    e2e_ms: { p50: pct(e2e, 50), p99: pct(e2e, 99), max: e2e.at(-1) ?? null },
    // from when the event happened rather than from when this client got round to sending it (test/bench/peers/README.md)
    e2e_due_ms: { p50: pct(e2eDue, 50), p99: pct(e2eDue, 99), max: e2eDue.at(-1) ?? null },
    cpu_pct: HAVE_PIDS ? {
      while_accepting: cpuPct(cpu0, cpuEnd, (acceptEnd - T0) / 1000), until_drained: cpuPct(cpu0, cpuDrained, (settled - T0) / 1000),
      while_accepting_by: byComp(cpu0, cpuEnd, (acceptEnd - T0) / 1000), until_drained_by: byComp(cpu0, cpuDrained, (settled - T0) / 1000),
      cpu_s_until_drained: +(total(cpuDrained, 'cpu_s') - total(cpu0, 'cpu_s')).toFixed(1) } : null,
    rss_mb: HAVE_PIDS ? { before: mb(rssBefore), peak: mb(rssPeak), after: mb(rssAfter),
      peak_by: Object.fromEntries(Object.entries(peakBy).map(([k, v]) => [k, mb(v.rss_kb)])) } : null,
    pss_mb: HAVE_PIDS ? { before: mb(total(s0, 'pss_kb')), peak: mb(pssPeak), after: mb(total(sEnd, 'pss_kb')),
      peak_by: Object.fromEntries(Object.entries(peakBy).map(([k, v]) => [k, mb(v.pss_kb)])) } : null,
    timed_out: settled >= deadline,
    tend: { metrics: await tendMetrics(),
      data_mb: dataDir ? { postgres: +(duBytes(path.join(dataDir, 'postgres')) / 1048576).toFixed(1),
        temporal: +(duBytes(path.join(dataDir, 'temporal')) / 1048576).toFixed(1) } : null },
  };
  console.log(JSON.stringify(out));
  await agent.close();
})().catch((e) => { console.error(e); process.exit(1); });
