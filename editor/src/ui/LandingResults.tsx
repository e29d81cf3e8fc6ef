// A landing page's A/B results: visitors and conversions, the conversion rate of each
// variant as bars, the test by its name with its p-value, and the decision — the winner
// every visitor now sees (and who chose it, when a person stopped the test), or why
// there is none yet, with a way to stop the test and choose the winner by hand.
import { useEffect, useState } from 'react';
import { api, problemText } from '../api.js';
import { Card } from './Card.js';
import { Dialog } from './Dialog.js';
import { useToast } from './toast.js';
import { count, when } from './format.js';
import type { LandingPage, Results, VariantFigures } from './landing-types.js';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

const GOAL_NOTES = { form: 'form submitted', cta: 'button clicked' } as const;

/** “Start a trial”, as the goal's button reads (its first label among the variants). */
const buttonLabel = (page: LandingPage, id: string) => `“${page.variants.flatMap((v) => v.blocks.flatMap((b) => (b.type === 'cta' && b.id === id ? [b.label] : [])))[0] ?? id}”`;

export function LandingResults({ page, refresh, mayChoose, onChosen }: { page: LandingPage; refresh: number; mayChoose: boolean; onChosen: (p: LandingPage) => void }) {
  const toast = useToast();
  const [data, setData] = useState<Results>();
  const [error, setError] = useState('');
  const [choosing, setChoosing] = useState<VariantFigures>();
  const choose = async (v: VariantFigures) => {
    try {
      const p = await api<LandingPage>('POST', `/api/landing-pages/${page.id}/winner`, { variant: v.variant });
      toast(`Every visitor now sees “${v.name}”`, 'success');
      setChoosing(undefined);
      onChosen(p);
    } catch (e) { toast(problemText(e), 'error'); }
  };
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
        <Card label="Conversions" value={count(converted)} note={page.goal.kind === 'event' ? page.goal.eventType ?? 'event' : page.goal.ctaId ? `button ${buttonLabel(page, page.goal.ctaId)} clicked` : GOAL_NOTES[page.goal.kind]} testId="landing-conversions" />
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
      {page.requireConsent && <p className="muted small" data-testid="landing-consent-note">Only visitors who accepted the cookie are counted: those who declined or did not answer saw the page, but nothing of their visit was recorded.</p>}
      {winner
        ? <p className="winner" data-testid="landing-winner">Winner: <strong>{data.variants.find((v) => v.variant === winner)?.name ?? winner}</strong> — {page.decidedBy
          ? <>chosen by hand by <span data-testid="landing-decided-by">{page.decidedBy.name}</span> {when(data.decision!.decidedAt)}</>
          : <>decided {when(data.decision!.decidedAt)} at {Math.round(page.confidence * 1000) / 10}% confidence</>}; every visitor sees it now.</p>
        : <p className="muted small" data-testid="landing-undecided">No winner yet: {data.test.reason}.</p>}
      {!winner && mayChoose && (
        <div className="landing-choose" role="group" aria-label="Stop the test">
          <span className="muted small">Stop the test and show one variant to everyone:</span>
          {data.variants.map((v) => <button key={v.variant} onClick={() => setChoosing(v)}>Choose {v.name}</button>)}
        </div>
      )}
      {choosing && (
        <Dialog title={`Stop the test and choose “${choosing.name}”?`} onClose={() => setChoosing(undefined)}>
          <p>Every visitor sees “{choosing.name}” from now on, those shown another variant too. The test's figures so far ({data.test.summary}) are kept with your choice; it cannot be undone.</p>
          <div className="dialog-actions"><button onClick={() => setChoosing(undefined)}>Cancel</button><button className="primary" onClick={() => void choose(choosing)}>Show “{choosing.name}” to everyone</button></div>
        </Dialog>
      )}
    </section>
  );
}
