// Side-by-side table of the n8n and Tend peer benchmarks (node, no deps).
// Usage: node compare.js [--n8n bench-default.jsonl] [--n8n-serial bench-default-serial.jsonl] [--n8n-paced F]
//                        [--tend bench-tend.jsonl] [--tend-serial bench-tend-serial.jsonl] [--tend-paced F]
//                        [--dur durability-*.log ...]     (any missing file shows as "—")
// Bench figures are medians over the measured runs (warm-up excluded); "missing" and "duplicated"
// are totals over them. Durability logs: their last line is a JSON summary.
const fs = require('fs');

const argv = process.argv.slice(2); const opt = {}; const dur = [];
for (let i = 0; i < argv.length; i++) {
  const k = argv[i].replace(/^--/, '');
  if (k === 'dur') { while (argv[i + 1] && !argv[i + 1].startsWith('--')) dur.push(argv[++i]); } else opt[k] = argv[++i];
}
const readJsonl = (f) => { try { return fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)); } catch { return []; } };
const measured = (f) => readJsonl(f).filter((r) => !String(r.run).includes('warmup'));
const med = (xs) => { const s = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : null; };
const sum = (xs) => xs.reduce((a, x) => a + (x || 0), 0);
const cpu = (r) => (r.cpu_pct || r.n8n_cpu_pct || {});
const fmt = (x, d = 0) => (x == null ? '—' : typeof x === 'number' ? x.toFixed(d) : String(x));
const range = (xs, d = 0) => { const v = xs.filter((x) => x != null); return v.length > 1 ? ` (${fmt(Math.min(...v), d)}–${fmt(Math.max(...v), d)})` : ''; };

function benchRows(runs) {
  if (!runs.length) return null;
  const p = (fn) => runs.map(fn);
  const m = (fn, d = 0) => fmt(med(p(fn)), d) + range(p(fn), d);
  return {
    runs: `${runs.length} × ${runs[0].n} @ c=${runs[0].concurrency}`,
    'accepted req/s': m((r) => r.accepted_req_per_s, 1),
    'HTTP p50 / p99 ms': `${fmt(med(p((r) => r.http_ms.p50)))} / ${fmt(med(p((r) => r.http_ms.p99)))}`,
    'all mails in s (mails/s)': `${fmt(med(p((r) => r.all_emails_s)), 1)} (${fmt(med(p((r) => r.emails_per_s)), 1)})`,
    'e2e p50 / p99 / max ms': `${fmt(med(p((r) => r.e2e_ms.p50)))} / ${fmt(med(p((r) => r.e2e_ms.p99)))} / ${fmt(med(p((r) => r.e2e_ms.max)))}`,
    'e2e from the burst start p50 / p99 ms': `${fmt(med(p((r) => r.e2e_due_ms && r.e2e_due_ms.p50)))} / ${fmt(med(p((r) => r.e2e_due_ms && r.e2e_due_ms.p99)))}`,
    'CPU per contact ms (to drained)': m((r) => cpu(r).cpu_s_until_drained != null ? (1000 * cpu(r).cpu_s_until_drained) / r.n : null, 1),
    'CPU % accepting / to drained': `${fmt(med(p((r) => cpu(r).while_accepting)))} / ${fmt(med(p((r) => cpu(r).until_drained)))}`,
    'RSS peak MB (sum of processes)': m((r) => r.rss_mb && r.rss_mb.peak),
    'PSS peak MB': m((r) => r.pss_mb && r.pss_mb.peak),
    'mails missing / duplicated': `${sum(p((r) => r.missing))} / ${sum(p((r) => r.duplicates))}`,
  };
}
function serialRows(runs) {
  if (!runs.length) return null;
  const r = runs.at(-1);
  return {
    runs: `${r.n} @ c=${r.concurrency}${r.rate ? `, ${r.rate}/s` : ''}`,
    'req/s': fmt(r.accepted_req_per_s, 1),
    'HTTP p50 / p99 ms': `${fmt(r.http_ms.p50)} / ${fmt(r.http_ms.p99)}`,
    'e2e p50 / p99 / max ms': `${fmt(r.e2e_ms.p50)} / ${fmt(r.e2e_ms.p99)} / ${fmt(r.e2e_ms.max)}`,
    ...(r.rate && r.e2e_due_ms ? { 'e2e from the scheduled time p50 / p99 / max ms': `${fmt(r.e2e_due_ms.p50)} / ${fmt(r.e2e_due_ms.p99)} / ${fmt(r.e2e_due_ms.max)}` } : {}),
    'mails missing / duplicated': `${r.missing} / ${r.duplicates}`,
  };
}
function table(title, cols) {
  const names = Object.keys(cols); const keys = [...new Set(names.flatMap((n) => Object.keys(cols[n] || {})))];
  if (!keys.length) return;
  const w0 = Math.max(...keys.map((k) => k.length), title.length);
  const ws = names.map((n) => Math.max(n.length, ...keys.map((k) => String((cols[n] || {})[k] ?? '—').length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(i ? ws[i - 1] : w0)).join(' | ') + ' |';
  console.log(line([title, ...names]));
  console.log('|' + [w0, ...ws].map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const k of keys) console.log(line([k, ...names.map((n) => (cols[n] || {})[k] ?? '—')]));
  console.log('');
}

const n8n = measured(opt.n8n), tend = measured(opt.tend);
table('load', { n8n: benchRows(n8n), Tend: benchRows(tend) });
table('serial reference', { n8n: serialRows(readJsonl(opt['n8n-serial'])), Tend: serialRows(readJsonl(opt['tend-serial'])) });
table('paced reference', { n8n: serialRows(readJsonl(opt['n8n-paced'])), Tend: serialRows(readJsonl(opt['tend-paced'])) });
table('steady load (open loop)', { n8n: serialRows(readJsonl(opt['n8n-steady'])), Tend: serialRows(readJsonl(opt['tend-steady'])) });
table('open load above n8n\'s rate (open loop)', { n8n: serialRows(readJsonl(opt['n8n-open'])), Tend: serialRows(readJsonl(opt['tend-open'])) });
const lastTend = tend.at(-1);
if (lastTend && lastTend.cpu_pct) {
  console.log(`Tend by process, last run: CPU % accepting ${JSON.stringify(lastTend.cpu_pct.while_accepting_by)}, to drained ${JSON.stringify(lastTend.cpu_pct.until_drained_by)}; ` +
    `RSS peak MB ${JSON.stringify(lastTend.rss_mb.peak_by)}; PSS peak MB ${JSON.stringify(lastTend.pss_mb.peak_by)}`);
  if (lastTend.tend) console.log(`Tend counters after the last run: ${JSON.stringify(lastTend.tend.metrics)}; data MB ${JSON.stringify(lastTend.tend.data_mb)}`);
  console.log('');
}
const n8nLast = n8n.at(-1);
if (n8nLast && n8nLast.executions) console.log(`n8n executions in SQLite after the last run: ${JSON.stringify(n8nLast.executions)}\n`);

const durRows = [];
for (const f of dur) {
  let j = null;
  try { const lines = fs.readFileSync(f, 'utf8').trim().split('\n'); j = JSON.parse(lines.at(-1)); } catch { j = null; }
  if (!j || !j.system) { durRows.push([f.split('/').pop(), '—', '—', '—', '—', 'no summary (run failed?)']); continue; }
  const http = j.http_statuses ? Object.entries(j.http_statuses).map(([k, v]) => `${k}×${v}`).join(' ') : '?';
  durRows.push([`${j.system} wait ${j.wait_s} s, kill ${j.kill}`, `${j.unique} / ${j.n}`, String(j.missing), String(j.duplicates),
    j.first_mail_s == null ? '—' : `${fmt(j.first_mail_s, 1)}–${fmt(j.last_mail_s, 1)}`, `HTTP ${http}; SIGKILL at t=${j.kill_after_s} s`]);
}
if (durRows.length) {
  const head = ['durability (score 45: every contact due a mail)', 'mails', 'missing', 'duplicated', 'mails at t= s', 'note'];
  const ws = head.map((h, i) => Math.max(h.length, ...durRows.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(ws[i])).join(' | ') + ' |';
  console.log(line(head)); console.log('|' + ws.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of durRows) console.log(line(r));
}
