// Fitting the canvas to the program or to some of its nodes. React Flow's own fitView
// waits until every node has been measured, and the nodes of a large program that were
// never in view are never drawn, so never measured: its fit would wait for ever. Tend
// knows every node's size without drawing it (model/geometry.ts, handed to React Flow as
// each node's width and height), so the fit is worked out here from those.
import { useCallback } from 'react';
import { getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';

export interface FitOptions {
  /** Only these nodes (default: all). */
  nodes?: string[];
  /** Room around them, as a share of the canvas (React Flow's meaning). */
  padding?: number;
  maxZoom?: number;
  /** Animated over this many milliseconds. */
  duration?: number;
}

/** A function that fits the view; nothing happens when none of the nodes named exists. */
export function useFit(): (opts?: FitOptions) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback((opts: FitOptions = {}) => {
    const wanted = opts.nodes && new Set(opts.nodes);
    const nodes = flow.getNodes().filter((n) => !n.hidden && (!wanted || wanted.has(n.id)));
    const { width, height, minZoom, maxZoom } = store.getState();
    if (!nodes.length || !width || !height) return;
    const view = getViewportForBounds(flow.getNodesBounds(nodes), width, height, minZoom, Math.min(opts.maxZoom ?? maxZoom, maxZoom), opts.padding ?? 0.1);
    void flow.setViewport(view, opts.duration ? { duration: opts.duration } : undefined);
  }, [flow, store]);
}
