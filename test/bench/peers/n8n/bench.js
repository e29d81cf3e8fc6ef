// Benchmark driver: N webhook POSTs (one per distinct contact) at a fixed concurrency, then waits
// until the SMTP sink holds every expected email. Prints one JSON object with the figures.
// Usage: NODE_PATH=$PEER_DIR/node_modules node bench.js --n 1000 --c 20 --run r1 --pid <n8n pid>
//        [--path lead] [--db <database.sqlite>] [--timeout 300] [--rate R: start request i at i/R s]
const { Agent, request } = require('undici');
const fs = require('fs');

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
  (v.startsWith('--') ? a.concat([[v.slice(2), all[i + 1]]]) : a), []));
const N = Number(args.n || 1000), C = Number(args.c || 20), RUN = args.run || 'r' + Date.now();
const PORT = Number(process.env.N8N_PORT || 5678), PATH = args.path || 'lead';
const SINK = `http://127.0.0.1:${process.env.SMTP_SINK_HTTP_PORT || 2526}`;
const PID = args.pid ? Number(args.pid) : null, TIMEOUT_S = Number(args.timeout || 300);
const RATE = Number(args.rate || 0);          // requests/s in all (0: as fast as the concurrency allows)
const url = `http://127.0.0.1:${PORT}/webhook/${PATH}`;

function treeRssKb(root) {            // RSS of root + all descendants, from /proc
  let total = 0; const kids = {};
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      (kids[ppid] ||= []).push(Number(d)); } catch {}
  }
  const stack = [root];
  while (stack.length) { const p = stack.pop();
    try { const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8')); if (m) total += Number(m[1]); } catch {}
    stack.push(...(kids[p] || [])); }
  return total;
}
function treeCpuS(root) {            // utime+stime (s) of root + descendants
  const tck = 100; let total = 0; const kids = {}, stats = {};
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      (kids[Number(f[1])] ||= []).push(Number(d)); stats[d] = (Number(f[11]) + Number(f[12])) / tck; } catch {}
  }
  const stack = [root];
  while (stack.length) { const p = stack.pop(); total += stats[p] || 0; stack.push(...(kids[p] || [])); }
  return total;
}
function treePssKb(root) {            // PSS of root + descendants (/proc/<pid>/smaps_rollup), for comparison with multi-process peers
  let total = 0; const kids = {};
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); (kids[Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1])] ||= []).push(Number(d)); } catch {}
  }
  const stack = [root];
  while (stack.length) { const p = stack.pop();
    try { const m = /^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8')); if (m) total += Number(m[1]); } catch {}
    stack.push(...(kids[p] || [])); }
  return total;
}
const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function sink(path, method = 'GET') { const r = await request(SINK + path, { method }); return r.body.json(); }

(async () => {
  const contacts = Array.from({ length: N }, (_, i) => {
    const id = `${RUN}-c${String(i).padStart(5, '0')}`;
    const score = args.score !== undefined ? Number(args.score) : i % 100;   // default: 60% reach >= 50 after +10
    return { id, email: `${id}@peer.local`, score };
  });
  const expected = new Set(contacts.filter((c) => c.score + 10 >= 50).map((c) => c.id));
  await sink('/reset', 'POST');
  const rssBefore = PID ? treeRssKb(PID) : null; let rssPeak = rssBefore || 0;
  const pssBefore = PID ? treePssKb(PID) : null; let pssPeak = pssBefore || 0, ticks = 0;
  const sampler = PID && setInterval(() => { rssPeak = Math.max(rssPeak, treeRssKb(PID));
    if (++ticks % 5 === 0) pssPeak = Math.max(pssPeak, treePssKb(PID)); }, 200);

  const agent = new Agent({ connections: C, pipelining: 1 });
  const sendTs = {}, dueTs = {}, httpLat = [], statuses = {};
  let next = 0;
  const cpu0 = PID ? treeCpuS(PID) : null;
  const T0 = Date.now();
  async function worker() {
    while (next < N) {
      const idx = next++; const c = contacts[idx];
      if (RATE) { const wait = T0 + (idx * 1000) / RATE - Date.now(); if (wait > 0) await sleep(wait); }   // --rate: paced
      const t = Date.now(); sendTs[c.id] = t;
      dueTs[c.id] = RATE ? T0 + (idx * 1000) / RATE : T0;   // when the event happened: all at once in a burst, on the schedule when paced
      try {
        const r = await request(url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ contact_id: c.id, email: c.email, score: c.score }) });
        await r.body.text(); statuses[r.statusCode] = (statuses[r.statusCode] || 0) + 1;
      } catch (e) { statuses[e.code || 'ERR'] = (statuses[e.code || 'ERR'] || 0) + 1; }
      httpLat.push(Date.now() - t);
    }
  }
  await Promise.all(Array.from({ length: C }, worker));
  const acceptEnd = Date.now();
  const cpuEnd = PID ? treeCpuS(PID) : null;
  if (args.nowait) {                                  // send only (used by the durability probe)
    if (sampler) clearInterval(sampler);
    console.log(JSON.stringify({ run: RUN, n: N, concurrency: C, url, http_statuses: statuses, t0_ms: T0,
      accept_s: (acceptEnd - T0) / 1000, accepted_req_per_s: +(N / ((acceptEnd - T0) / 1000)).toFixed(1),
      emails_expected: expected.size }));
    await agent.close(); return;
  }

  let st; const deadline = Date.now() + TIMEOUT_S * 1000;
  for (;;) { st = await sink('/stats'); if (st.unique >= expected.size || Date.now() > deadline) break; await sleep(100); }
  const settled = Date.now();
  const cpuDrained = PID ? treeCpuS(PID) : null;
  await sleep(1500);                                  // catch stragglers/duplicates
  st = await sink('/stats?ids=1');
  if (sampler) clearInterval(sampler);
  const rssAfter = PID ? treeRssKb(PID) : null; rssPeak = Math.max(rssPeak, rssAfter || 0);
  const pssAfter = PID ? treePssKb(PID) : null; pssPeak = Math.max(pssPeak, pssAfter || 0);

  const e2e = [], e2eDue = []; let missing = 0, unexpected = 0, lastArrival = 0;
  for (const id of expected) { const a = st.arrivals[id]; if (a === undefined) { missing++; continue; }
    e2e.push(a - sendTs[id]); e2eDue.push(a - dueTs[id]); lastArrival = Math.max(lastArrival, a); }
  for (const id of Object.keys(st.arrivals)) if (!expected.has(id)) unexpected++;
  e2e.sort((a, b) => a - b); e2eDue.sort((a, b) => a - b); httpLat.sort((a, b) => a - b);

  let executions = null;
  if (args.db) {
    const sqlite3 = require('sqlite3'); const db = new sqlite3.Database(args.db, sqlite3.OPEN_READONLY);
    db.configure('busyTimeout', 5000);
    const q = (sql) => new Promise((res, rej) => db.all(sql, (e, r) => (e ? rej(e) : res(r))));
    executions = {
      rows_by_status: await q('select status, count(*) n from execution_entity group by status'),
      execution_data_rows: (await q('select count(*) n from execution_data'))[0].n,
      db_bytes: fs.statSync(args.db).size + (fs.existsSync(args.db + '-wal') ? fs.statSync(args.db + '-wal').size : 0),
    };
    db.close();
  }
  const out = {
    run: RUN, n: N, concurrency: C, rate: RATE || null, url, http_statuses: statuses,
    accept_s: (acceptEnd - T0) / 1000, accepted_req_per_s: +(N / ((acceptEnd - T0) / 1000)).toFixed(1),
    http_ms: { p50: pct(httpLat, 50), p99: pct(httpLat, 99), max: httpLat.at(-1) },
    emails_expected: expected.size, emails_received: st.count, unique_received: st.unique, missing, unexpected,
    duplicates: st.duplicates, smtp_connections: st.connections,
    all_emails_s: missing || !expected.size ? null : (lastArrival - T0) / 1000,
    emails_per_s: missing || !expected.size ? null : +(expected.size / ((lastArrival - T0) / 1000)).toFixed(1),
    e2e_ms: { p50: pct(e2e, 50), p99: pct(e2e, 99), max: e2e.at(-1) },
    // from when the event happened rather than from when this client got round to sending it (test/bench/peers/README.md)
    e2e_due_ms: { p50: pct(e2eDue, 50), p99: pct(e2eDue, 99), max: e2eDue.at(-1) ?? null },
    n8n_cpu_pct: PID ? { while_accepting: +(100 * (cpuEnd - cpu0) / ((acceptEnd - T0) / 1000)).toFixed(0),
      until_drained: +(100 * (cpuDrained - cpu0) / ((settled - T0) / 1000)).toFixed(0), cpu_s_until_drained: +(cpuDrained - cpu0).toFixed(1) } : null,
    rss_mb: PID ? { before: +(rssBefore / 1024).toFixed(0), peak: +(rssPeak / 1024).toFixed(0), after: +(rssAfter / 1024).toFixed(0) } : null,
    pss_mb: PID ? { before: +(pssBefore / 1024).toFixed(0), peak: +(pssPeak / 1024).toFixed(0), after: +(pssAfter / 1024).toFixed(0) } : null,
    timed_out: settled >= deadline, executions,
  };
  console.log(JSON.stringify(out));
  await agent.close();
})().catch((e) => { console.error(e); process.exit(1); });
