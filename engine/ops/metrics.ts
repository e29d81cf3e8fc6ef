// Prometheus metrics on prom-client, each set in its own registry (tests start several
// servers in one process; the global default registry would mix them): a few
// in-process counters and histograms (HTTP requests, activity attempts that failed)
// and, read from the database at scrape time with indexed queries, what every process
// shares (events stored, enrollments by status, messages by channel and status, failed
// node visits, the outbox's depth and age). The database figures are the same
// whichever server is scraped; the in-process ones are per process.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queryable } from '../storage/db.js';
import { databaseFigures } from '../storage/ops-figures.js';

type Labels = Record<string, string>;

export interface Metrics {
  /** Adds to a counter, made on first use; a name takes the same label names on every call. */
  inc(name: string, help: string, labels?: Labels, by?: number): void;
  /** Records one observation (e.g. a duration in seconds) in a histogram, made on first use. */
  observe(name: string, help: string, value: number, labels?: Labels): void;
  /** Sets a gauge, made on first use. */
  set(name: string, help: string, value: number): void;
  /** The in-process families, followed by `extra` (e.g. read from the database). */
  render(extra?: Sample[]): Promise<string>;
}

export interface Sample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labels?: Labels;
  value: number;
}

export interface MetricsOptions {
  /** Also publish Node's process figures (CPU, memory, event loop lag, GC). */
  processMetrics?: boolean;
}

const finite = (v: number) => (Number.isFinite(v) ? v : 0);

/** The samples read at scrape time, in a registry of their own that lives for one scrape. */
function sampleRegistry(samples: Sample[]): Registry {
  const registry = new Registry();
  const families = new Map<string, Sample[]>();
  for (const s of samples) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  for (const [name, family] of families) {
    const first = family[0]!;
    const labelNames = [...new Set(family.flatMap((s) => Object.keys(s.labels ?? {})))];
    const options = { name, help: first.help, labelNames, registers: [registry] };
    if (first.type === 'counter') {
      // A counter read from the database is already a total: set it by adding it to zero.
      const counter = new Counter(options);
      for (const s of family) counter.inc(s.labels ?? {}, Math.max(0, finite(s.value)));
    } else {
      const gauge = new Gauge(options);
      for (const s of family) gauge.set(s.labels ?? {}, finite(s.value));
    }
  }
  return registry;
}

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const counters = new Map<string, Counter>();
  const histograms = new Map<string, Histogram>();
  const gauges = new Map<string, Gauge>();
  return {
    inc(name, help, labels = {}, by = 1) {
      let counter = counters.get(name);
      if (!counter) counters.set(name, (counter = new Counter({ name, help, labelNames: Object.keys(labels), registers: [registry] })));
      counter.inc(labels, by);
    },
    observe(name, help, value, labels = {}) {
      let histogram = histograms.get(name);
      if (!histogram) histograms.set(name, (histogram = new Histogram({ name, help, labelNames: Object.keys(labels), registers: [registry] })));
      histogram.observe(labels, value);
    },
    set(name, help, value) {
      let gauge = gauges.get(name);
      if (!gauge) gauges.set(name, (gauge = new Gauge({ name, help, registers: [registry] })));
      gauge.set(finite(value));
    },
    async render(extra = []) {
      // merge() refuses a name in both: an in-process family and a database one never share a name.
      return Registry.merge([registry, sampleRegistry(extra)]).metrics();
    },
  };
}

/** The figures every process shares, read from the database. */
export async function databaseSamples(db: Queryable): Promise<Sample[]> {
  const figures = await databaseFigures(db);
  const seq = figures.outboxSequence;
  const samples: Sample[] = [
    { name: 'tend_events_ingested_total', help: 'Events stored for dispatch (API, tracking, forms, contact changes).', type: 'counter', value: seq?.is_called ? Number(seq.last_value) : 0 },
  ];
  const byStatus = new Map(figures.enrollmentsByStatus.map((r) => [r.status, Number(r.n)]));
  const started = [...byStatus.values()].reduce((a, b) => a + b, 0);
  samples.push({ name: 'tend_enrollments_started_total', help: 'Enrollments (runs of a contact through a program) started.', type: 'counter', value: started });
  samples.push({ name: 'tend_enrollments_active', help: 'Enrollments running now (at a node or waiting).', type: 'gauge', value: byStatus.get('active') ?? 0 });
  for (const status of ['completed', 'exited', 'failed']) {
    samples.push({ name: 'tend_enrollments_finished_total', help: 'Enrollments finished, by how they ended.', type: 'counter', labels: { status }, value: byStatus.get(status) ?? 0 });
  }
  for (const r of figures.messagesByChannelStatus) {
    samples.push({ name: 'tend_messages', help: 'Sends (email, SMS, webhook) by channel and current status; erasure removes rows.', type: 'gauge', labels: { channel: r.channel, status: r.status }, value: Number(r.n) });
  }
  samples.push({ name: 'tend_node_failures_total', help: 'Node visits that failed for good (after their retries).', type: 'counter', value: Number(figures.failedVisits?.n ?? 0) });
  samples.push({ name: 'tend_outbox_depth', help: 'Stored events not yet dispatched to programs.', type: 'gauge', value: Number(figures.outbox?.n ?? 0) });
  samples.push({ name: 'tend_dispatch_lag_seconds', help: 'Age of the oldest event waiting in the outbox (0 when empty).', type: 'gauge', value: figures.outbox?.age ?? 0 });
  return samples;
}
