// Every problem the server's validator found, one line each; clicking one shows the
// node it is about. Publishing is refused while this list is not empty.
import type { PlacedProblem } from '../model/problems.js';

export function ProblemsPanel({ problems, open, onToggle, onShow, nodeTitle }: { problems: PlacedProblem[]; open: boolean; onToggle: () => void; onShow: (p: PlacedProblem) => void; nodeTitle: (id: string) => string }) {
  return (
    <section className={`problems${open ? ' open' : ''}${problems.length ? ' has' : ''}`} aria-label="Problems" data-testid="problems-panel">
      <button className="problems-toggle" onClick={onToggle} aria-expanded={open}>
        {problems.length === 0 ? '✓ No problems' : `⚠ ${problems.length} problem${problems.length === 1 ? '' : 's'} ${problems.length ? '— publishing is blocked' : ''}`}
        <span className="muted small">{open ? 'Hide' : 'Show'}</span>
      </button>
      {open && problems.length > 0 && (
        <ul className="problem-list">
          {problems.map((p, i) => (
            <li key={i} data-testid="problem" data-node={p.nodeId ?? ''} data-field={p.field ?? ''}>
              <button className="link" onClick={() => onShow(p)}>
                <strong>{p.nodeId ? nodeTitle(p.nodeId) : p.edgeId ? `Connection ${p.edgeId}` : 'Program'}</strong>
                {p.field && p.field !== '/' && <code>{p.field.slice(1).replace(/\//g, '.')}</code>}
                <span>{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
