// On a live program: an A/B experiment's rates per variant and for the holdout, as
// bars (a winner is decided by comparing them), and the winner once there is one.
import { useEffect, useState } from 'react';
import { api } from '../api.js';

interface VariantResult { variant: string; assigned: number; converted: number; rate: number }
interface Results { metric: string; window: string; minSample: number; winner?: string; decidedAt?: string; results: VariantResult[]; holdout: VariantResult }

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;

export function ExperimentResults({ programId, nodeId, refresh }: { programId: string; nodeId: string; refresh: number }) {
  const [data, setData] = useState<Results | null>();
  useEffect(() => {
    api<Results>('GET', `/api/flows/${programId}/experiments/${encodeURIComponent(nodeId)}`).then(setData).catch(() => setData(null));
  }, [programId, nodeId, refresh]);
  if (data === undefined) return <p className="muted small">Loading results…</p>;
  if (data === null) return null; // not in the live version yet
  const rows = [...data.results, data.holdout];
  const top = Math.max(0.0001, ...rows.map((r) => r.rate));
  return (
    <section className="experiment" data-testid="experiment-results">
      <h3>Results <span className="muted small">({data.metric} within {data.window})</span></h3>
      {data.winner
        ? <p className="winner" data-testid="experiment-winner">Winner: <strong>{data.winner}</strong> — everyone outside the holdout gets it now.</p>
        : <p className="muted small">No winner yet: each variant needs {data.minSample} contacts whose window has passed.</p>}
      <ul className="bars">
        {rows.map((r) => (
          <li key={r.variant} data-variant={r.variant} className={r.variant === data.winner ? 'won' : r.variant === 'holdout' ? 'holdout' : ''}>
            <span className="bar-label">{r.variant}</span>
            <span className="bar-track"><span className="bar-fill" style={{ width: `${(r.rate / top) * 100}%` }} /></span>
            <span className="bar-value">{percent(r.rate)} <span className="muted small">{r.converted}/{r.assigned}</span></span>
          </li>
        ))}
      </ul>
    </section>
  );
}
