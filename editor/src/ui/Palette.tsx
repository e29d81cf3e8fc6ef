// The palette: every node type the server offers, grouped by category, with search.
// Drag one onto the canvas (or onto an edge), or press Enter to add it after the
// selected node.
import { useMemo, useState } from 'react';
import { CATEGORIES, type NodeType } from '../model/catalogue.js';
import { DRAG_MIME } from './Canvas.js';

const CATEGORY_TITLES: Record<string, string> = { trigger: 'Triggers', wait: 'Waits', logic: 'Logic', action: 'Actions' };

/** `disabled` says why nothing can be added (a published version, an archived program, a viewer), or is false. */
export function Palette({ types, disabled, onAdd }: { types: NodeType[]; disabled: string | false; onAdd: (typeId: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (t: NodeType) => !q || `${t.title} ${t.description} ${t.id}`.toLowerCase().includes(q);
    return CATEGORIES.map((c) => ({ category: c, types: types.filter((t) => t.category === c && match(t)) })).filter((g) => g.types.length);
  }, [types, query]);
  return (
    <aside className="palette" aria-label="Node palette">
      <input id="palette-search" className="search" type="search" placeholder="Search nodes  ( / )" aria-label="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} />
      {disabled && <p className="muted small" data-testid="palette-disabled">{disabled}</p>}
      {groups.map((g) => (
        <section key={g.category}>
          <h3>{CATEGORY_TITLES[g.category]}</h3>
          {g.types.map((t) => (
            <div
              key={t.id}
              className={`palette-item cat-${t.category}${disabled ? ' disabled' : ''}`}
              draggable={!disabled}
              tabIndex={disabled ? -1 : 0}
              role="button"
              aria-label={`Add ${t.title}`}
              data-testid={`palette-${t.id}`}
              title={`${t.description}\n${t.id}${t.source !== 'built-in' ? ` (from ${t.source})` : ''}`}
              onDragStart={(e) => { e.dataTransfer.setData(DRAG_MIME, t.id); e.dataTransfer.effectAllowed = 'copy'; }}
              onDoubleClick={() => !disabled && onAdd(t.id)}
              onKeyDown={(e) => { if ((e.key === 'Enter' || e.key === ' ') && !disabled) { e.preventDefault(); onAdd(t.id); } }}
            >
              <strong>{t.title}</strong>
              <span className="muted small">{t.description}</span>
              {t.source !== 'built-in' && <span className="plugin-tag">plugin</span>}
            </div>
          ))}
        </section>
      ))}
      {groups.length === 0 && <p className="muted small">No node matches “{query}”.</p>}
    </aside>
  );
}
