// A form's results on its page: views (loads of the hosted page and the embed),
// submissions and the conversion rate over 30 days with both per day, and the
// submissions themselves, newest first — who (a link to the contact), when, the
// answers and the hidden fields — a page at a time.
import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api.js';
import { linkTo } from '../router.js';
import { ago, count, percent, precise, shortDay } from './format.js';

interface Stats { views: number; submissions: number; conversionRate: number | null; perDay: { day: string; views: number; submissions: number }[] }
interface Submission { eventId: string; contactId: string; email: string | null; submittedAt: string; values: Record<string, unknown>; hidden: Record<string, unknown>; page?: string }
interface Page { submissions: Submission[]; next: string | null }

const DAYS = 30;
const PAGE = 25;
const shown = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : typeof v === 'string' ? v : JSON.stringify(v));
/** "first_name: Ada · plan: pro"; the email is in its own column. */
const pairs = (o: Record<string, unknown>, skip?: string) => Object.entries(o).filter(([k]) => k !== skip).map(([k, v]) => `${k}: ${shown(v)}`).join(' · ') || '—';

export function FormSubmissions({ formId }: { formId: string }) {
  const [stats, setStats] = useState<Stats>();
  const [list, setList] = useState<Page>();
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    Promise.all([
      api<Stats>('GET', `/api/forms/${formId}/stats?days=${DAYS}`),
      api<Page>('GET', `/api/forms/${formId}/submissions?limit=${PAGE}`),
    ]).then(([s, p]) => { setStats(s); setList(p); setError(''); }, (e: Error) => setError(e.message)).finally(() => setLoading(false));
  }, [formId]);
  useEffect(load, [load]);

  const more = async () => {
    if (!list?.next) return;
    setLoading(true);
    try {
      const p = await api<Page>('GET', `/api/forms/${formId}/submissions?limit=${PAGE}&after=${encodeURIComponent(list.next)}`);
      setList({ submissions: [...list.submissions, ...p.submissions], next: p.next });
    } catch (e) { setError((e as Error).message); } finally { setLoading(false); }
  };

  return (
    <section className="form-submissions" aria-label="Submissions">
      <div className="form-submissions-head">
        <h2 className="section-title">Submissions</h2>
        <button className="small" disabled={loading} onClick={load}>Refresh</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {!stats || !list ? (!error && <p className="muted">Loading…</p>) : (
        <>
          <div className="cards form-cards">
            <div className="card" data-testid="form-views"><div className="card-label">Views, {DAYS} days</div><div className="card-value">{count(stats.views)}</div></div>
            <div className="card" data-testid="form-submission-count"><div className="card-label">Submissions</div><div className="card-value">{count(stats.submissions)}</div></div>
            <div className="card" data-testid="form-conversion">
              <div className="card-label">Conversion rate</div>
              <div className="card-value">{stats.conversionRate === null ? '—' : percent(stats.conversionRate)}</div>
              <div className="muted small">{stats.conversionRate === null ? 'no views yet' : 'submissions per view'}</div>
            </div>
          </div>
          <figure className="chart" aria-label="Views and submissions per day" data-testid="chart-form">
            <figcaption>Views and submissions per day</figcaption>
            <ResponsiveContainer width="100%" height={180}>
              <BarChart data={stats.perDay} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} />
                <Tooltip labelFormatter={(l) => shortDay(String(l))} />
                <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="views" name="Views" fill="#94a3b8" isAnimationActive={false} />
                <Bar dataKey="submissions" name="Submissions" fill="#16a34a" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          {list.submissions.length === 0 ? <p className="muted">No submissions yet. Each one makes or finds a contact by email and is listed here.</p> : (
            <table className="table" aria-label="Submissions of the form">
              <thead><tr><th>When</th><th>Contact</th><th>Answers</th><th>Hidden fields</th></tr></thead>
              <tbody>{list.submissions.map((s) => (
                <tr key={s.eventId} data-testid="form-submission">
                  <td title={precise(s.submittedAt)}>{ago(s.submittedAt)}</td>
                  <td><a href={`/contacts/${s.contactId}`} onClick={linkTo(`/contacts/${s.contactId}`)}>{s.email ?? s.contactId.slice(0, 8)}</a>{s.page && <div className="muted small" title={s.page}>on {s.page}</div>}</td>
                  <td className="small">{pairs(s.values, 'email')}</td>
                  <td className="small">{pairs(s.hidden)}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
          {list.next && <div className="row more"><button disabled={loading} onClick={() => void more()}>Load more</button></div>}
        </>
      )}
    </section>
  );
}
