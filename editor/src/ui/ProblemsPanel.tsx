// Every problem the server's validator found, one line each; clicking one shows the
// node it is about. Publishing is refused while this list is not empty.
import type { PlacedProblem } from '../model/problems.js';

export function ProblemsPanel({ problems, open, onToggle, onShow, nodeTitle, edgeTitle }: { problems: PlacedProblem[]; open: boolean; onToggle: () => void; onShow: (p: PlacedProblem) => void; nodeTitle: (id: string) => string; edgeTitle: (id: string) => string }) {
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
                {/* The message names the field in the form's words; the node (or connection) by its label. */}
                <strong>{p.edgeId ? edgeTitle(p.edgeId) : p.nodeId ? nodeTitle(p.nodeId) : 'Program'}</strong>
                <span>{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
