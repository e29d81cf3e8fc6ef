// A published program's step, in the inspector (issue #13 point 9): its figures now
// (entered, waiting, ended here; for an email sent, opened, clicked and unsubscribed
// with rates of those sent) and the same per day over 30 days in a small chart.
import { useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api.js';
import type { NodeCounts } from '../model/mapping.js';
import { count, rate, shortDay } from './format.js';

export interface NodeDay { day: string; entered: number; exited: number; sent: number; opened: number; clicked: number; unsubscribed: number }

const FLOW_LINES = [
  { key: 'entered', name: 'Entered', color: '#2563eb' },
  { key: 'exited', name: 'Exited here', color: '#7c3aed' },
] as const;
const EMAIL_LINES = [
  { key: 'sent', name: 'Sent', color: '#0891b2' },
  { key: 'opened', name: 'Opened', color: '#16a34a' },
  { key: 'clicked', name: 'Clicked', color: '#d97706' },
  { key: 'unsubscribed', name: 'Unsubscribed', color: '#dc2626' },
] as const;

export function NodeFigures({ counts: c, email }: { counts: NodeCounts; email: boolean }) {
  const m = c.messages ?? {};
  const sent = m.sent ?? 0;
  return (
    <dl className="stat-grid" data-testid="inspector-counts">
      <div><dt>Entered</dt><dd data-testid="figure-entered">{count(c.entered)}</dd></div>
      <div><dt>Waiting now</dt><dd data-testid="figure-waiting">{count(c.waiting + (c.active ?? 0))}</dd></div>
      <div><dt>Exited here</dt><dd data-testid="figure-exited">{count(c.exited ?? 0)}</dd></div>
      {c.errors > 0 && <div><dt>Errors</dt><dd>{count(c.errors)}</dd></div>}
      {email && (
        <>
          <div><dt>Sent</dt><dd data-testid="figure-sent">{count(sent)}</dd></div>
          <div><dt>Opened</dt><dd data-testid="figure-opened">{count(m.opened)} <small>{rate(m.opened ?? 0, sent)}</small></dd></div>
          <div><dt>Clicked</dt><dd data-testid="figure-clicked">{count(m.clicked)} <small>{rate(m.clicked ?? 0, sent)}</small></dd></div>
          <div><dt>Unsubscribed</dt><dd data-testid="figure-unsubscribed">{count(m.unsubscribed)} <small>{rate(m.unsubscribed ?? 0, sent)}</small></dd></div>
        </>
      )}
      {!email && m.sent !== undefined && <div><dt>Sent</dt><dd data-testid="figure-sent">{count(m.sent)}</dd></div>}
    </dl>
  );
}

export function NodeTrend({ programId, nodeId, email, refresh }: { programId: string; nodeId: string; email: boolean; refresh: number }) {
  const [series, setSeries] = useState<NodeDay[]>();
  const [failed, setFailed] = useState('');
  useEffect(() => {
    let live = true;
    api<{ series: NodeDay[] }>('GET', `/api/flows/${programId}/nodes/${encodeURIComponent(nodeId)}/analytics?days=30`)
      .then((r) => { if (live) { setSeries(r.series); setFailed(''); } }, (e: Error) => { if (live) setFailed(e.message); });
    return () => { live = false; };
  }, [programId, nodeId, refresh]);
  const lines = email ? [...FLOW_LINES, ...EMAIL_LINES] : FLOW_LINES;
  const totals = Object.fromEntries(lines.map((l) => [l.key, (series ?? []).reduce((a, d) => a + d[l.key], 0)]));
  return (
    <section className="node-trend" aria-label="Over time">
      <h3>Last 30 days</h3>
      {failed ? <p className="error small">{failed}</p> : !series ? <p className="muted small">Loading…</p> : (
        <figure aria-label="This step per day" data-testid="chart-node-trend" data-points={series.length} data-totals={JSON.stringify(totals)}>
          <ResponsiveContainer width="100%" height={170}>
            <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} fontSize={11} minTickGap={18} />
              <YAxis allowDecimals={false} fontSize={11} />
              <Tooltip labelFormatter={(l) => shortDay(String(l))} />
              <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
              {lines.map((l) => <Line key={l.key} dataKey={l.key} name={l.name} stroke={l.color} dot={false} strokeWidth={1.6} isAnimationActive={false} />)}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      )}
    </section>
  );
}
