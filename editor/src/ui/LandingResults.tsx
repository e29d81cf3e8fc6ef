// A landing page's A/B results: visitors and conversions, the conversion rate of each
// variant as bars, the test by its name with its p-value, and the decision — the winner
// every visitor now sees, or why there is none yet.
import { useEffect, useState } from 'react';
import { api, problemText } from '../api.js';
import { Card } from './Card.js';
import { count, when } from './format.js';
import type { LandingPage, Results } from './landing-types.js';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function LandingResults({ page, refresh }: { page: LandingPage; refresh: number }) {
  const [data, setData] = useState<Results>();
  const [error, setError] = useState('');
  useEffect(() => { api<Results>('GET', `/api/landing-pages/${page.id}/results`).then(setData, (e) => setError(problemText(e))); }, [page.id, refresh]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!data) return <p className="muted small">Loading results…</p>;
  const viewers = data.variants.reduce((s, v) => s + v.viewers, 0);
  const converted = data.variants.reduce((s, v) => s + v.converted, 0);
  const top = Math.max(0.0001, ...data.variants.map((v) => v.rate));
  const shown = data.decision ?? data.test;
  const winner = data.decision?.winner;
  return (
    <section className="experiment landing-results" aria-label="Results" data-testid="landing-results">
      <h2 className="section-title">Results</h2>
      <div className="cards landing-cards">
        <Card label="Visitors" value={count(viewers)} note="while the test ran" testId="landing-visitors" />
        <Card label="Conversions" value={count(converted)} note={page.goal.kind === 'form' ? 'form submitted' : `${page.goal.eventType ?? 'event'}`} testId="landing-conversions" />
        <Card label="Conversion rate" value={viewers ? percent(converted / viewers) : '—'} note={`within ${page.goal.withinDays} day${page.goal.withinDays === 1 ? '' : 's'} of a view`} testId="landing-rate" />
      </div>
      <ul className="bars" aria-label="Conversion rate per variant">
        {data.variants.map((v) => (
          <li key={v.variant} data-variant={v.variant} className={v.variant === winner ? 'won' : ''} data-testid="landing-variant-rate">
            <span className="bar-label" title={v.name}>{v.name}</span>
            <span className="bar-track"><span className="bar-fill" style={{ width: `${(v.rate / top) * 100}%` }} /></span>
            <span className="bar-value">{percent(v.rate)} <span className="muted small">{v.converted}/{v.viewers}</span></span>
          </li>
        ))}
      </ul>
      <p className="small" data-testid="landing-test">{shown.summary}</p>
      {winner
        ? <p className="winner" data-testid="landing-winner">Winner: <strong>{data.variants.find((v) => v.variant === winner)?.name ?? winner}</strong> — decided {when(data.decision!.decidedAt)} at {Math.round(page.confidence * 1000) / 10}% confidence; every visitor sees it now.</p>
        : <p className="muted small" data-testid="landing-undecided">No winner yet: {data.test.reason}.</p>}
    </section>
  );
}
