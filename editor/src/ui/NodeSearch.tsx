// "Find a node": type a label, a node type or any text of its settings; Enter (or the
// arrows) moves from one match to the next, selecting it and bringing it into view —
// also far off screen in a large program.
import { useMemo, useState } from 'react';
import type { Catalogue, FlowDocument } from '../model/catalogue.js';
import { searchNodes } from '../model/search.js';

export function NodeSearch({ doc, catalogue, onShow }: { doc: FlowDocument; catalogue: Catalogue; onShow: (nodeId: string) => void }) {
  const [query, setQuery] = useState('');
  const [at, setAt] = useState(0);
  const found = useMemo(() => searchNodes(doc, catalogue, query), [doc, catalogue, query]);
  const go = (step: number) => {
    if (!found.length) return;
    const next = (((at + step) % found.length) + found.length) % found.length;
    setAt(next);
    onShow(found[next]!);
  };
  return (
    <div className="node-search" role="search">
      <input type="search" aria-label="Find a node" placeholder="Find a node…" value={query} data-testid="node-search"
        onChange={(e) => { setQuery(e.target.value); setAt(-1); }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') { e.preventDefault(); go(e.shiftKey ? -1 : 1); }
          if (e.key === 'Escape') setQuery('');
          e.stopPropagation(); // the canvas' shortcuts (Delete, L, F…) are not for this box
        }} />
      {query && <span className="muted" data-testid="node-search-count">{found.length ? `${Math.max(at, 0) + 1} of ${found.length}` : 'no match'}</span>}
    </div>
  );
}
