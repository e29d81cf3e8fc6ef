// The figures a marketer looks at first: how many contacts, what arrived and what was
// sent each day (charts), the live programs with contacts inside and goals reached, and
// anything failing, with a link to where it is. Charts are recharts (SVG: readable by
// screen readers and by the tests).
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api.js';
import { linkTo } from '../router.js';
import { count, percent, shortDay } from './format.js';
import { TopBar } from './TopBar.js';
import { Card } from './Card.js';

interface Dashboard {
  days: number;
  contacts: { total: number; newThisWeek: number };
  perDay: { day: string; events: number; sent: number; opened: number; clicked: number; unsubscribed: number }[];
  programs: { id: string; name: string; version: number | null; inside: number; entered: number; goals: number }[];
  failing: { failedMessages: number; failedSteps: number; outbox: number; oldestOutboxSeconds: number | null; byProgram: { id: string; name: string; failedMessages: number; failedSteps: number }[] };
}


export function DashboardPage() {
  const [days, setDays] = useState(14);
  const [d, setD] = useState<Dashboard>();
  const [error, setError] = useState('');
  useEffect(() => {
    document.title = 'Dashboard · Tend';
    const load = () => api<Dashboard>('GET', `/api/dashboard?days=${days}`).then((x) => { setD(x); setError(''); }, (e: Error) => setError(e.message));
    void load();
    const t = setInterval(() => void load(), 30_000);
    return () => clearInterval(t);
  }, [days]);
  const sum = (k: keyof Dashboard['perDay'][number]) => (d?.perDay ?? []).reduce((n, r) => n + Number(r[k]), 0);
  const sent = sum('sent');

  return (
    <div className="page">
      <TopBar current="dashboard" title="Dashboard">
        <select aria-label="Period" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[7, 14, 30, 90].map((n) => <option key={n} value={n}>Last {n} days</option>)}
        </select>
      </TopBar>
      <main className="programs dashboard">
        {error ? <p className="error" role="alert">{error}</p> : !d ? <p className="muted">Loading…</p> : (
          <>
            <section className="cards" aria-label="Figures">
              <Card label="Contacts" value={count(d.contacts.total)} note={`${count(d.contacts.newThisWeek)} new this week`} testId="card-contacts" />
              <Card label={`Emails sent, ${d.days} days`} value={count(sent)} testId="card-sent" />
              <Card label="Opened" value={sent ? percent(sum('opened') / sent) : '—'} note={`${count(sum('opened'))} open(s)`} testId="card-opened" />
              <Card label="Clicked" value={sent ? percent(sum('clicked') / sent) : '—'} note={`${count(sum('clicked'))} click(s)`} testId="card-clicked" />
              <Card label="Unsubscribed" value={count(sum('unsubscribed'))} testId="card-unsubscribed" />
            </section>
            <section className="charts">
              <figure aria-label="Events received per day" data-testid="chart-events">
                <figcaption>Events received per day</figcaption>
                <ResponsiveContainer width="100%" height={220}>
                  <BarChart data={d.perDay} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip labelFormatter={(l) => shortDay(String(l))} />
                    <Bar dataKey="events" name="Events" fill="#16a34a" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <figure aria-label="Email per day" data-testid="chart-email">
                <figcaption>Email per day</figcaption>
                <ResponsiveContainer width="100%" height={220}>
                  <LineChart data={d.perDay} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip labelFormatter={(l) => shortDay(String(l))} />
                    <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
                    <Line dataKey="sent" name="Sent" stroke="#2563eb" dot={false} isAnimationActive={false} />
                    <Line dataKey="opened" name="Opened" stroke="#16a34a" dot={false} isAnimationActive={false} />
                    <Line dataKey="clicked" name="Clicked" stroke="#9333ea" dot={false} isAnimationActive={false} />
                    <Line dataKey="unsubscribed" name="Unsubscribed" stroke="#dc2626" dot={false} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </figure>
            </section>
            <section className="dash-lists">
              <div>
                <h2 className="section-title">Live programs</h2>
                {d.programs.length === 0 ? <p className="muted">No program is live. <a href="/" onClick={linkTo('/')}>Build one</a>.</p> : (
                  <table className="table" aria-label="Live programs">
                    <thead><tr><th>Program</th><th className="num">Inside now</th><th className="num">Entered</th><th className="num">Reached the goal</th></tr></thead>
                    <tbody>
                      {d.programs.map((p) => (
                        <tr key={p.id} data-testid="dash-program">
                          <td><a href={`/programs/${p.id}`} onClick={linkTo(`/programs/${p.id}`)}>{p.name}</a> <span className="muted small">v{p.version}</span></td>
                          <td className="num">{count(p.inside)}</td>
                          <td className="num">{count(p.entered)}</td>
                          <td className="num">{p.goals ? `${count(p.goals)} (${percent(p.goals / Math.max(1, p.entered))})` : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
              <div>
                <h2 className="section-title">Needs attention</h2>
                <ul className="attention" data-testid="attention">
                  {d.failing.byProgram.map((p) => (
                    <li key={p.id} className="bad"><a href={`/programs/${p.id}`} onClick={linkTo(`/programs/${p.id}`)}>{p.name}</a>: {[p.failedMessages ? `${count(p.failedMessages)} failed send(s)` : '', p.failedSteps ? `${count(p.failedSteps)} failed step(s)` : ''].filter(Boolean).join(', ')} in 7 days</li>
                  ))}
                  {d.failing.outbox > 500 && <li className="bad">{count(d.failing.outbox)} events wait to be dispatched (the oldest for {d.failing.oldestOutboxSeconds}s)</li>}
                  {d.failing.byProgram.length === 0 && d.failing.outbox <= 500 && <li className="good">Nothing failing: every send and step of the last 7 days went through, and events are dispatched as they come ({count(d.failing.outbox)} waiting).</li>}
                </ul>
              </div>
            </section>
          </>
        )}
      </main>
    </div>
  );
}
