// The right-hand panel: the selected node's generated form (with the email preview
// where a node has an HTML template), its figures, a chart of them over 30 days and
// the contacts at it on a live program; with nothing selected, the program's own name, description and settings;
// under either, the comments on it.
import { useMemo } from 'react';
import type { Catalogue, FlowDocument, FlowNode, JsonSchema } from '../model/catalogue.js';
import { nodePorts } from '../model/catalogue.js';
import type { PlacedProblem } from '../model/problems.js';
import type { NodeCounts } from '../model/mapping.js';
import { updateNode } from '../model/edit.js';
import { SchemaForm, type FormContext } from './SchemaForm.js';
import { EmailPreview } from './EmailPreview.js';
import { NodeContacts } from './NodeContacts.js';
import { ExperimentResults } from './ExperimentResults.js';
import { NodeFigures, NodeTrend } from './NodeAnalytics.js';
import { CommentThreads } from './Comments.js';
import type { CommentsAnswer } from '../api.js';

export interface InspectorProps {
  doc: FlowDocument;
  catalogue: Catalogue;
  programId: string;
  selectedNodes: string[];
  selectedEdges: string[];
  readOnly: boolean;
  watching: boolean;
  problems: PlacedProblem[];
  counts?: Record<string, NodeCounts>;
  settingsSchema?: { root: JsonSchema; settings: JsonSchema };
  refreshTick: number;
  onChange: (doc: FlowDocument, coalesceKey?: string) => void;
  onDeleteSelection: () => void;
  /** A field of this node was left: its problems may show now (a node just dropped hides them until then). */
  onTouched?: (nodeId: string) => void;
  comments: CommentsAnswer & { reload: () => void };
}

function fieldProblems(problems: PlacedProblem[], pick: (p: PlacedProblem) => string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) {
    const k = pick(p);
    if (k !== undefined) map.set(k, [...(map.get(k) ?? []), p.message]);
  }
  return map;
}

export function Inspector(props: InspectorProps) {
  const { doc, selectedNodes, selectedEdges } = props;
  const node = selectedNodes.length === 1 ? doc.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
  let body;
  if (node) body = <NodePanel {...props} node={node} />;
  else if (selectedNodes.length + selectedEdges.length > 0) {
    body = (
      <div className="panel-section">
        <h2>{selectedNodes.length} node{selectedNodes.length === 1 ? '' : 's'}{selectedEdges.length ? `, ${selectedEdges.length} connection${selectedEdges.length === 1 ? '' : 's'}` : ''} selected</h2>
        <p className="muted small">Drag to move them together. Ctrl+C / Ctrl+V copies, Ctrl+D duplicates, Delete removes.</p>
        {!props.readOnly && <button className="danger" onClick={props.onDeleteSelection}>Delete selection</button>}
      </div>
    );
  } else body = <ProgramPanel {...props} />;
  return <aside className="inspector" aria-label="Inspector">{body}</aside>;
}

function NodePanel({ doc, catalogue, node, readOnly, watching, problems, counts, programId, refreshTick, onChange, onDeleteSelection, onTouched, comments }: InspectorProps & { node: FlowNode }) {
  const type = catalogue.get(node.type);
  const mine = problems.filter((p) => p.nodeId === node.id);
  const ctx: FormContext = useMemo(() => ({ root: type?.configSchema ?? {}, readOnly, problems: fieldProblems(mine, (p) => p.field) }), [type, readOnly, mine]);
  const general = mine.filter((p) => p.field === undefined);
  const c = counts?.[node.id];
  const hasHtmlTemplate = type?.configSchema?.properties?.html?.format === 'template';
  const trigger = doc.nodes.find((n) => catalogue.get(n.type)?.category === 'trigger');
  const eventType = typeof trigger?.config.eventType === 'string' ? trigger.config.eventType : undefined;
  const nodeTitle = (id: string) => { const n = doc.nodes.find((x) => x.id === id); return n?.label || catalogue.get(n?.type ?? '')?.title || id; };
  return (
    <div className="panel-section" data-testid="inspector-node" data-node={node.id} onBlur={onTouched && (() => onTouched(node.id))}>
      <div className={`inspector-type cat-${type?.category ?? 'unknown'}`}>{type?.category ?? 'unknown'} · <code>{node.type}</code> v{node.version}</div>
      <h2>{node.label || type?.title || node.type}</h2>
      <p className="muted small">{type?.description ?? 'This node type is not installed on this server; install its plugin or remove the node.'}</p>
      {general.length > 0 && (
        <ul className="problem-list inline">{general.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
      )}
      {watching && c && <NodeFigures counts={c} email={node.type === 'tend.action.email'} />}
      {watching && <NodeTrend programId={programId} nodeId={node.id} email={node.type === 'tend.action.email'} refresh={refreshTick} />}
      {watching && node.type === 'tend.logic.experiment' && <ExperimentResults programId={programId} nodeId={node.id} refresh={refreshTick} />}
      <div className="field">
        <label className="field-label" htmlFor="node-label">Label</label>
        <input id="node-label" disabled={readOnly} value={node.label ?? ''} placeholder={type?.title} maxLength={200}
          onChange={(e) => onChange(updateNode(doc, node.id, { label: e.target.value }), `${node.id}#label`)} />
        <p className="hint">Node id <code>{node.id}</code></p>
      </div>
      {type && (
        <SchemaForm schema={type.configSchema} value={node.config} ctx={ctx}
          onChange={(config) => onChange(updateNode(doc, node.id, { config: (config ?? {}) as Record<string, unknown> }), `${node.id}#config`)} />
      )}
      {type && nodePorts(catalogue, node).length > 0 && (
        <p className="muted small">Outputs: {nodePorts(catalogue, node).map((p) => p.label).join(', ')}</p>
      )}
      {hasHtmlTemplate && <EmailPreview config={node.config} eventType={eventType} programName={doc.name} />}
      {watching && <NodeContacts programId={programId} nodeId={node.id} refresh={refreshTick} nodeTitle={nodeTitle} />}
      {!readOnly && <button className="danger" onClick={onDeleteSelection}>Delete node</button>}
      <CommentThreads programId={programId} nodeId={node.id} data={comments} onChanged={comments.reload} />
    </div>
  );
}

function ProgramPanel({ doc, readOnly, problems, settingsSchema, onChange, programId, comments }: InspectorProps) {
  const ctx: FormContext = useMemo(() => ({
    root: settingsSchema?.root ?? {},
    readOnly,
    problems: fieldProblems(problems, (p) => (p.path.startsWith('/settings') ? p.path.slice('/settings'.length) : undefined)),
  }), [settingsSchema, readOnly, problems]);
  return (
    <div className="panel-section" data-testid="inspector-program">
      <div className="inspector-type">Program</div>
      <div className="field">
        <label className="field-label" htmlFor="program-name">Name</label>
        <input id="program-name" disabled={readOnly} value={doc.name} maxLength={200} onChange={(e) => onChange({ ...doc, name: e.target.value }, 'program#name')} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="program-description">Description</label>
        <textarea id="program-description" rows={3} disabled={readOnly} value={doc.description ?? ''} onChange={(e) => {
          const { description: _old, ...rest } = doc;
          onChange(e.target.value ? { ...rest, description: e.target.value } : rest, 'program#description');
        }} />
      </div>
      {settingsSchema && (
        <>
          <h3>Settings</h3>
          <SchemaForm schema={settingsSchema.settings} value={doc.settings ?? {}} ctx={ctx} onChange={(v) => {
            const { settings: _old, ...rest } = doc;
            const empty = !v || Object.keys(v as object).length === 0;
            onChange(empty ? rest : { ...rest, settings: v as FlowDocument['settings'] }, 'program#settings');
          }} />
        </>
      )}
      <p className="muted small">Select a node to configure it. Drag nodes in from the left; connect an output on the right of a node to the input on the left of another.</p>
      <CommentThreads programId={programId} nodeId={null} data={comments} onChanged={comments.reload} />
    </div>
  );
}
