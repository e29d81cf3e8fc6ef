// The baseline page for `npm run bench -- editor`: bare React Flow drawing already-placed
// nodes with its default node and edge, nothing of Tend's editor. It fetches its graph as
// the editor fetches a program, and reports "drawn" by the editor's rule: every node handed
// to React Flow, then two frames (React Flow measures nodes after the first paint).
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, type Edge, type Node, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';

/** What the benchmark serves at /graph/:size. */
export interface BareGraph {
  nodes: Node[];
  edges: Edge[];
  /** The editor canvas' size and opening view, so both pages draw the same part of the graph. */
  box: { width: number; height: number };
  viewport: Viewport;
  /** Whether the editor draws only the nodes in view at this size. */
  onlyVisible: boolean;
}

function BareCanvas({ size }: { size: string }) {
  const [graph, setGraph] = useState<BareGraph>();
  useEffect(() => { void fetch(`/graph/${size}`).then((r) => r.json()).then(setGraph); }, [size]);
  useEffect(() => {
    if (!graph) return;
    requestAnimationFrame(() => requestAnimationFrame(() => { document.body.dataset.drawnMs = String(Math.round(performance.now())); }));
  }, [graph]);
  if (!graph) return null;
  // ?fit=1: the whole graph in view, every node drawn (the pan measurement).
  return (
    <div style={{ ...graph.box, position: 'relative' }}>
      {fit
        ? <ReactFlow nodes={graph.nodes} edges={graph.edges} fitView minZoom={0.05} />
        : <ReactFlow nodes={graph.nodes} edges={graph.edges} defaultViewport={graph.viewport} onlyRenderVisibleElements={graph.onlyVisible} minZoom={0.05} />}
    </div>
  );
}

const size = new URLSearchParams(location.search).get('size') ?? '0';
const fit = new URLSearchParams(location.search).get('fit') === '1';
createRoot(document.getElementById('root')!).render(<BareCanvas size={size} />);
