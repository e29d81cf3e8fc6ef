// Per-node and per-edge counts of a program, from node visits and messages: what the
// editor paints on the canvas.
import type { Queryable } from './db.js';
import type { FlowDocument } from '../flow/document.js';
import { nodeEndings } from './node-analytics.js';
import { CEILING_REASON } from './messages.js';

export interface NodeStats {
  entered: number;
  active: number;
  waiting: number;
  completed: number;
  errors: number;
  /** Runs that ended at this node (completed, exited or failed there). */
  exited: number;
  /**
   * `unsubscribed`: contacts whose last email before unsubscribing came from this node.
   * `queued`: sends held now by the channel's sending ceiling (their runs wait at the node for their places).
   */
  messages?: { sent: number; skipped: number; failed: number; deferred: number; opened: number; clicked: number; unsubscribed: number; queued: number };
}

export async function programStats(db: Queryable, programId: string, doc: FlowDocument, version?: number) {
  const params: unknown[] = [programId];
  const versionFilter = version ? ' AND version = $2' : '';
  if (version) params.push(version);
  const visits = await db.query<{ node_id: string; port: string | null; status: string; n: number }>(
    `SELECT node_id, port, status, count(*) AS n FROM node_visits WHERE program_id = $1${versionFilter} GROUP BY 1, 2, 3`,
    params,
  );
  // A send the ceiling holds is a deferred message until its place comes (its next visit claims a new one).
  const messages = await db.query<{ node_id: string; status: string; n: number; opened: number; clicked: number; queued: number }>(
    `SELECT node_id, status, count(*) AS n, count(first_opened_at)::int AS opened, count(first_clicked_at)::int AS clicked,
       count(*) FILTER (WHERE status = 'deferred' AND reason LIKE $2 AND deferred_until > now())::int AS queued
     FROM messages WHERE program_id = $1 GROUP BY 1, 2`,
    [programId, `${CEILING_REASON}%`],
  );
  const enrollments = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*) AS n FROM enrollments WHERE program_id = $1${versionFilter} GROUP BY 1`,
    params,
  );
  const nodes: Record<string, NodeStats> = {};
  for (const n of doc.nodes) nodes[n.id] = { entered: 0, active: 0, waiting: 0, completed: 0, errors: 0, exited: 0 };
  const byPort = new Map<string, number>();
  for (const r of visits.rows) {
    const s = (nodes[r.node_id] ??= { entered: 0, active: 0, waiting: 0, completed: 0, errors: 0, exited: 0 });
    s.entered += r.n;
    if (r.status === 'active') s.active += r.n;
    if (r.status === 'waiting') s.waiting += r.n;
    if (r.status === 'completed') s.completed += r.n;
    if (r.status === 'failed') s.errors += r.n;
    if (r.port) byPort.set(`${r.node_id}\u0000${r.port}`, (byPort.get(`${r.node_id}\u0000${r.port}`) ?? 0) + r.n);
  }
  for (const r of messages.rows) {
    const s = nodes[r.node_id];
    if (!s) continue;
    s.messages ??= { sent: 0, skipped: 0, failed: 0, deferred: 0, opened: 0, clicked: 0, unsubscribed: 0, queued: 0 };
    if (r.status === 'sent') s.messages.sent += r.n;
    if (r.status === 'skipped') s.messages.skipped += r.n;
    if (r.status === 'failed') s.messages.failed += r.n;
    if (r.status === 'deferred') s.messages.deferred += r.n;
    s.messages.opened += r.opened;
    s.messages.clicked += r.clicked;
    s.messages.queued += r.queued;
  }
  const endings = await nodeEndings(db, programId, version);
  for (const [node, n] of endings.exited) if (nodes[node]) nodes[node].exited = n;
  for (const [node, n] of endings.unsubscribed) {
    const s = nodes[node];
    if (s?.messages) s.messages.unsubscribed = n;
  }
  const edges: Record<string, { count: number; share: number }> = {};
  for (const e of doc.edges) {
    const count = byPort.get(`${e.source}\u0000${e.sourcePort}`) ?? 0;
    const left = nodes[e.source] ? nodes[e.source].completed : 0;
    edges[e.id] = { count, share: left > 0 ? count / left : 0 };
  }
  return {
    enrollments: Object.fromEntries(enrollments.rows.map((r) => [r.status, r.n])),
    nodes,
    edges,
  };
}
