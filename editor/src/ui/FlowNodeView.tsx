// How a node looks on the canvas: title, one-line summary, a labelled handle per output
// port, a problem badge, a comment badge, and (on a live program) its figures: runs
// that entered, wait there now and ended there; for a message node also sent, opened,
// clicked and unsubscribed, with rates of those sent.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { CanvasNode } from '../model/mapping.js';
import { NODE_WIDTH, nodeHeight } from '../model/geometry.js';
import { count, rate } from './format.js';

const ICONS: Record<string, string> = { trigger: '⚡', wait: '◷', logic: '◇', action: '▶', unknown: '?' };

export const FlowNodeView = memo(function FlowNodeView({ data, selected }: NodeProps<CanvasNode>) {
  const c = data.counts;
  const isEmail = data.typeId === 'tend.action.email';
  const m = isEmail && c?.messages ? { sent: c.messages.sent ?? 0, opened: c.messages.opened ?? 0, clicked: c.messages.clicked ?? 0, unsubscribed: c.messages.unsubscribed ?? 0 } : undefined;
  // Sends the channel's sending ceiling holds wait at the node too: said as "queued", apart from the rest.
  const queued = c?.messages?.queued ?? 0;
  const here = c ? Math.max(0, c.waiting + (c.active ?? 0) - queued) : 0;
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
          {m && (
            <div className="tnode-counts-row" data-testid="node-message-counts">
              <span title="Sent">{count(m.sent)} sent</span>
              <span title={`Opened: ${rate(m.opened, m.sent)} of those sent`}>{count(m.opened)} opened · {rate(m.opened, m.sent)}</span>
              <span title={`Clicked: ${rate(m.clicked, m.sent)} of those sent`}>{count(m.clicked)} clicked · {rate(m.clicked, m.sent)}</span>
              <span title={`Unsubscribed after this email: ${rate(m.unsubscribed, m.sent)} of those sent`}>{count(m.unsubscribed)} unsub. · {rate(m.unsubscribed, m.sent)}</span>
            </div>
          )}
          <div className="tnode-counts-row" data-testid="node-flow-counts">
            <span title="Entered">{count(c.entered)} in</span>
            <span className={here > 0 ? 'waiting' : undefined} title="Here now">{count(here)} {data.waitingLabel ?? 'waiting'}</span>
            {queued > 0 && <span className="waiting" data-testid="node-queued" title="Held by the channel's sending ceiling, each sent when its place comes">{count(queued)} queued</span>}
            <span title="Runs that ended here">{count(c.exited ?? 0)} exited</span>
            {!isEmail && c.messages?.sent !== undefined && <span title="Sent">{count(c.messages.sent)} sent</span>}
            {c.errors > 0 && <span className="errors" title="Errors">{count(c.errors)} errors</span>}
          </div>
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
