// Prometheus metrics in the text exposition format, without a client library: a few
// in-process counters (HTTP requests, activity attempts that failed) and, read from
// the database at scrape time with indexed queries, what every process shares (events
// stored, enrollments by status, messages by channel and status, failed node visits,
// the outbox's depth and age). The database figures are the same whichever server is
// scraped; the in-process ones are per process.
import type { Queryable } from './storage/db.js';

type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
}

export interface Metrics {
  inc(name: string, help: string, labels?: Labels, by?: number): void;
  /** The in-process families, followed by `extra` (e.g. read from the database). */
  render(extra?: Sample[]): string;
}

export interface Sample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labels?: Labels;
  value: number;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels = {}) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export function createMetrics(): Metrics {
  const families = new Map<string, Family>();
  return {
    inc(name, help, labels = {}, by = 1) {
      let f = families.get(name);
      if (!f) families.set(name, (f = { help, type: 'counter', values: new Map() }));
      const key = labelText(labels);
      const v = f.values.get(key) ?? { labels, value: 0 };
      v.value += by;
      f.values.set(key, v);
    },
    render(extra = []) {
      const all = new Map<string, Family>(families);
      for (const s of extra) {
        let f = all.get(s.name);
        if (!f) all.set(s.name, (f = { help: s.help, type: s.type, values: new Map() }));
        f.values.set(labelText(s.labels), { labels: s.labels ?? {}, value: s.value });
      }
      const lines: string[] = [];
      for (const [name, f] of all) {
        lines.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
        for (const { labels, value } of f.values.values()) lines.push(`${name}${labelText(labels)} ${Number.isFinite(value) ? value : 0}`);
      }
      return lines.join('\n') + '\n';
    },
  };
}

/** The figures every process shares, read from the database (see 110_erasure.sql for the indexes). */
export async function databaseSamples(db: Queryable): Promise<Sample[]> {
  const [events, enrollments, messages, failed, outbox] = await Promise.all([
    // Every event stored for dispatch takes one outbox id: a counter that costs nothing to read.
    db.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM outbox_id_seq'),
    db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM enrollments GROUP BY status'),
    db.query<{ channel: string; status: string; n: string }>('SELECT channel, status, count(*) AS n FROM messages GROUP BY channel, status'),
    db.query<{ n: string }>("SELECT count(*) AS n FROM node_visits WHERE status = 'failed'"),
    db.query<{ n: string; age: number | null }>('SELECT count(*) AS n, extract(epoch FROM now() - min(created_at))::float8 AS age FROM outbox'),
  ]);
  const seq = events.rows[0];
  const samples: Sample[] = [
    { name: 'tend_events_ingested_total', help: 'Events stored for dispatch (API, tracking, forms, contact changes).', type: 'counter', value: seq?.is_called ? Number(seq.last_value) : 0 },
  ];
  const byStatus = new Map(enrollments.rows.map((r) => [r.status, Number(r.n)]));
  const started = [...byStatus.values()].reduce((a, b) => a + b, 0);
  samples.push({ name: 'tend_enrollments_started_total', help: 'Enrollments (runs of a contact through a program) started.', type: 'counter', value: started });
  samples.push({ name: 'tend_enrollments_active', help: 'Enrollments running now (at a node or waiting).', type: 'gauge', value: byStatus.get('active') ?? 0 });
  for (const status of ['completed', 'exited', 'failed']) {
    samples.push({ name: 'tend_enrollments_finished_total', help: 'Enrollments finished, by how they ended.', type: 'counter', labels: { status }, value: byStatus.get(status) ?? 0 });
  }
  for (const r of messages.rows) {
    samples.push({ name: 'tend_messages', help: 'Sends (email, SMS, webhook) by channel and current status; erasure removes rows.', type: 'gauge', labels: { channel: r.channel, status: r.status }, value: Number(r.n) });
  }
  samples.push({ name: 'tend_node_failures_total', help: 'Node visits that failed for good (after their retries).', type: 'counter', value: Number(failed.rows[0]?.n ?? 0) });
  samples.push({ name: 'tend_outbox_depth', help: 'Stored events not yet dispatched to programs.', type: 'gauge', value: Number(outbox.rows[0]?.n ?? 0) });
  samples.push({ name: 'tend_dispatch_lag_seconds', help: 'Age of the oldest event waiting in the outbox (0 when empty).', type: 'gauge', value: outbox.rows[0]?.age ?? 0 });
  return samples;
}
