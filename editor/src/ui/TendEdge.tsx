// An edge: a curve from a port to a node's input, labelled with how many contacts took
// it and their share of those who left the node, or with its problem.
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { CanvasEdge } from '../model/mapping.js';
import { count, percent } from './format.js';

export const TendEdge = memo(function TendEdge(props: EdgeProps<CanvasEdge>) {
  const [path, labelX, labelY] = getBezierPath(props);
  const d = props.data;
  const showCount = d?.count !== undefined;
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} interactionWidth={24} className={d?.problem ? 'tedge-problem' : undefined} />
      {(showCount || d?.problem) && (
        <EdgeLabelRenderer>
          <div className={`tedge-label${d?.problem ? ' problem' : ''}`} style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }} data-testid={`edge-label-${props.id}`} title={d?.problem}>
            {d?.problem ? '!' : `${count(d?.count)} · ${percent(d?.share)}`}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
