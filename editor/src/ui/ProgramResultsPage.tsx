// A published program's results: conversions of its goal, revenue, and the lift over
// its holdout with its interval (GET /api/flows/:id/attribution), per day as charts
// (recharts, as the dashboard), and the credit per node by last and first touch.
import { useEffect, useState } from 'react';
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, problemText, type ProgramDetail } from '../api.js';
import { linkTo } from '../router.js';
import { count, shortDay } from './format.js';
import { TopBar } from './TopBar.js';
import { Card } from './Card.js';

interface Credit { conversions: number; revenue: number }
interface Group { entrants: number; converted: number; rate: number; revenue: number; revenuePerEntrant: number }
interface Attribution {
  version: number; days: number; value: string | null; window: string; holdoutPercent: number;
  conversions: number; revenue: number; contacts: number;
  byNode: { nodeId: string; lastTouch: Credit; firstTouch: Credit }[];
  groups: { treated: Group; holdout: Group };
  lift: { difference: number; low: number; high: number; relative: number | null; pValue: number | null; confidence: number; method: string; incrementalRevenue: number } | null;
  perDay: { day: string; conversions: number; revenue: number; lift: number | null; low: number | null; high: number | null }[];
}

const money = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 2 });
/** A rate as a percentage with one decimal. */
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
/** A difference of rates in percentage points, signed. */
const points = (d: number) => `${d > 0 ? '+' : ''}${(d * 100).toFixed(1)} pts`;

export function ProgramResultsPage({ programId }: { programId: string }) {
  const [days, setDays] = useState(30);
  const [program, setProgram] = useState<ProgramDetail>();
  const [a, setA] = useState<Attribution>();
  const [error, setError] = useState('');
  useEffect(() => {
    api<ProgramDetail>('GET', `/api/flows/${programId}`).then((p) => { setProgram(p); document.title = `Results · ${p.name} · Tend`; }, () => undefined);
  }, [programId]);
  useEffect(() => {
    const load = () => api<Attribution>('GET', `/api/flows/${programId}/attribution?days=${days}`).then((x) => { setA(x); setError(''); }, (e: unknown) => setError(problemText(e)));
    void load();
    const t = setInterval(() => void load(), 30_000);
    return () => clearInterval(t);
  }, [programId, days]);
  const label = (nodeId: string) => program?.draft.nodes.find((n) => n.id === nodeId)?.label ?? nodeId;
  const chart = (a?.perDay ?? []).map((d) => ({ ...d, liftPts: d.lift === null ? null : d.lift * 100, band: d.low === null || d.high === null ? null : [d.low * 100, d.high * 100] }));

  return (
    <div className="page">
      <TopBar current="programs" title={<><a href={`/programs/${programId}`} onClick={linkTo(`/programs/${programId}`)}>{program?.name ?? 'Program'}</a> · Results</>}>
        <select aria-label="Period" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[7, 30, 90, 365].map((n) => <option key={n} value={n}>Last {n} days</option>)}
        </select>
      </TopBar>
      <main className="programs dashboard" data-testid="program-results">
        {error ? <p className="error" role="alert">{error}</p> : !a ? <p className="muted">Loading…</p> : (
          <>
            <p className="muted small">
              Version {a.version}: a conversion is the goal within {a.window} after the contact entered or was sent a message of this program
              {a.value ? <>, worth its <code>{a.value}</code></> : ' (no goal value set: revenue counts 0)'}. {a.holdoutPercent ? `${a.holdoutPercent}% of entrants are held out and get nothing.` : 'No holdout is set: lift needs one (settings, "Holdout percent").'}
            </p>
            <section className="cards" aria-label="Figures">
              <Card label="Conversions" value={count(a.conversions)} note={`${count(a.contacts)} contact(s)`} testId="card-conversions" />
              <Card label="Revenue" value={money(a.revenue)} testId="card-revenue" />
              <Card label="Conversion rate" value={pct(a.groups.treated.rate)} note={`${count(a.groups.treated.converted)} of ${count(a.groups.treated.entrants)} entrants`} testId="card-treated" />
              <Card label="Holdout" value={a.groups.holdout.entrants ? pct(a.groups.holdout.rate) : '—'} note={`${count(a.groups.holdout.converted)} of ${count(a.groups.holdout.entrants)} held out`} testId="card-holdout" />
              <Card label="Lift" value={a.lift ? points(a.lift.difference) : '—'}
                note={a.lift ? `95% CI ${points(a.lift.low)} to ${points(a.lift.high)}${a.lift.pValue !== null ? `, p = ${a.lift.pValue < 0.001 ? '< 0.001' : a.lift.pValue.toFixed(3)}` : ''}` : 'needs entrants on both sides'} testId="card-lift" />
            </section>
            {a.lift && (
              <p className="small" data-testid="lift-method">
                {a.lift.low > 0 ? 'The program raises conversion: the whole interval is above zero.' : a.lift.high < 0 ? 'The program lowers conversion: the whole interval is below zero.' : 'Not significant yet: the interval includes zero.'}
                {' '}Incremental revenue ≈ {money(a.lift.incrementalRevenue)}. <span className="muted">Method: {a.lift.method}.</span>
              </p>
            )}
            <section className="charts">
              <figure aria-label="Conversions and revenue per day" data-testid="chart-revenue">
                <figcaption>Conversions and revenue per day</figcaption>
                <ResponsiveContainer width="100%" height={240}>
                  <ComposedChart data={chart} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
                    <YAxis yAxisId="revenue" fontSize={12} />
                    <YAxis yAxisId="conversions" orientation="right" allowDecimals={false} fontSize={12} />
                    <Tooltip labelFormatter={(l) => shortDay(String(l))} />
                    <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
                    <Bar yAxisId="revenue" dataKey="revenue" name="Revenue" fill="#16a34a" isAnimationActive={false} />
                    <Line yAxisId="conversions" dataKey="conversions" name="Conversions" stroke="#2563eb" dot={false} isAnimationActive={false} />
                  </ComposedChart>
                </ResponsiveContainer>
              </figure>
              <figure aria-label="Lift over the holdout" data-testid="chart-lift">
                <figcaption>Lift over the holdout (percentage points, entries up to each day, 95% interval)</figcaption>
                <ResponsiveContainer width="100%" height={240}>
                  <ComposedChart data={chart} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
                    <YAxis fontSize={12} />
                    <Tooltip labelFormatter={(l) => shortDay(String(l))} formatter={(v) => (Array.isArray(v) ? v.map((x) => Number(x).toFixed(1)).join(' to ') : Number(v).toFixed(1))} />
                    <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
                    <ReferenceLine y={0} stroke="#94a3b8" />
                    <Area dataKey="band" name="95% interval" stroke="none" fill="#9333ea" fillOpacity={0.15} isAnimationActive={false} connectNulls />
                    <Line dataKey="liftPts" name="Lift" stroke="#9333ea" dot={{ r: 3 }} isAnimationActive={false} connectNulls />
                  </ComposedChart>
                </ResponsiveContainer>
              </figure>
            </section>
            <h2 className="section-title">Credit by node</h2>
            {a.byNode.length === 0 ? <p className="muted">No conversion in this period yet.</p> : (
              <table className="table" aria-label="Credit by node" data-testid="credit-by-node">
                <thead><tr><th>Node</th><th className="num">Last touch</th><th className="num">Revenue (last)</th><th className="num">First touch</th><th className="num">Revenue (first)</th></tr></thead>
                <tbody>
                  {a.byNode.map((n) => (
                    <tr key={n.nodeId} data-node={n.nodeId}>
                      <td>{label(n.nodeId)}</td>
                      <td className="num">{count(n.lastTouch.conversions)}</td><td className="num">{money(n.lastTouch.revenue)}</td>
                      <td className="num">{count(n.firstTouch.conversions)}</td><td className="num">{money(n.firstTouch.revenue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted small">Last touch credits the latest entry or message of this program in the window before the conversion, first touch the earliest; an entry is credited to the trigger node.</p>
          </>
        )}
      </main>
    </div>
  );
}
