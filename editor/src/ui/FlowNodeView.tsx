// How a node looks on the canvas: title, one-line summary, a labelled handle per output
// port, a problem badge, a comment badge, and (on a live program) its counts.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../model/mapping.js';
import { NODE_WIDTH, nodeHeight } from '../model/geometry.js';
import { count } from './format.js';

const ICONS: Record<string, string> = { trigger: '⚡', wait: '◷', logic: '◇', action: '▶', unknown: '?' };

export const FlowNodeView = memo(function FlowNodeView({ data, selected }: NodeProps<CanvasNode>) {
  const c = data.counts;
  const sent = c?.messages?.sent;
  return (
    <div
      className={`tnode cat-${data.category}${selected ? ' selected' : ''}${data.problems.length ? ' has-problems' : ''}`}
      style={{ width: NODE_WIDTH, height: nodeHeight(data.ports.length) }}
      data-testid={`node-${data.typeId}`}
      title={data.problems.length ? data.problems.join('\n') : undefined}
    >
      {data.hasInput && <Handle type="target" position={Position.Left} id="in" className="thandle thandle-in" style={{ top: 31 }} />}
      {c && (
        <div className="tnode-counts" data-testid="node-counts" aria-label="Counts">
          <span title="Entered">{count(c.entered)} in</span>
          {c.waiting + (c.active ?? 0) > 0 && <span className="waiting" title="Here now">{count(c.waiting + (c.active ?? 0))} {data.waitingLabel ?? 'here'}</span>}
          <span title="Completed">{count(c.completed)} done</span>
          {sent !== undefined && <span title="Sent">{count(sent)} sent</span>}
          {c.messages?.opened !== undefined && <span title="Opened">{count(c.messages.opened)} opened</span>}
          {c.messages?.clicked !== undefined && <span title="Clicked">{count(c.messages.clicked)} clicked</span>}
          {c.errors > 0 && <span className="errors" title="Errors">{count(c.errors)} errors</span>}
        </div>
      )}
      <div className="tnode-head">
        <span className="tnode-icon" aria-hidden>{ICONS[data.category]}</span>
        <span className="tnode-title">{data.title}</span>
        {data.comments ? <span className="tnode-comments" data-testid="comment-badge" aria-label={`${data.comments} comments`} title={`${data.comments} comment(s): select the node to read them`}><svg width="11" height="11" viewBox="0 0 16 16" aria-hidden><path d="M2 2h12v9H6l-4 3z" fill="currentColor" /></svg> {data.comments}</span> : null}
        {data.problems.length > 0 && <span className="tnode-badge" data-testid="problem-badge" aria-label={`${data.problems.length} problems`}>{data.problems.length}</span>}
      </div>
      <div className="tnode-summary">{data.summary}</div>
      {data.ports.length > 0 && (
        <div className="tnode-ports">
          {data.ports.map((p) => (
            <div className="tnode-port" key={p.name}>
              <span className={data.connected.includes(p.name) ? 'port-label' : 'port-label port-free'}>{p.label}</span>
              <Handle type="source" position={Position.Right} id={p.name} className="thandle thandle-out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});
