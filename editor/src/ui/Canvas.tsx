// The canvas: React Flow drawing the document. Drags, selection and measuring stay
// local; anything that changes the program goes back up as a new document.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, ControlButton, Controls, MiniMap, ReactFlow, applyEdgeChanges, applyNodeChanges, useReactFlow, useStore,
  type Connection as RfConnection, type EdgeChange, type FinalConnectionState, type NodeChange, type OnSelectionChangeParams,
} from '@xyflow/react';
import type { Catalogue, FlowDocument } from '../model/catalogue.js';
import { toCanvasEdges, toCanvasNodes, type CanvasEdge, type CanvasNode, type Overlay } from '../model/mapping.js';
import { checkConnection } from '../model/connections.js';
import { connect, moveNodes, moveOntoEdge, removeElements, type XY } from '../model/edit.js';
import { FAR_ZOOM, NODE_WIDTH } from '../model/geometry.js';
import { FlowNodeView } from './FlowNodeView.js';
import { TendEdge } from './TendEdge.js';
import { useFit } from './useFit.js';
import { useToast } from './toast.js';
import { useTheme } from './theme.js';

const nodeTypes = { tend: FlowNodeView };
const edgeTypes = { tend: TendEdge };
export const DRAG_MIME = 'application/x-tend-node-type';

const MINIMAP_COLORS: Record<string, string> = { trigger: '#16a34a', wait: '#d97706', logic: '#7c3aed', action: '#2563eb', unknown: '#9ca3af' };

export interface CanvasProps {
  /** The mini map is shown (a button in the canvas controls toggles it). */
  minimap?: boolean;
  onToggleMinimap?: () => void;
  doc: FlowDocument;
  catalogue: Catalogue;
  readOnly: boolean;
  overlay: Omit<Overlay, 'selected'>;
  /** Replaces the selection (after paste, select all, a click in the problems panel). */
  selectRequest?: { ids: Set<string>; nonce: number };
  onChange: (doc: FlowDocument) => void;
  onSelection: (nodeIds: string[], edgeIds: string[]) => void;
  onDropType: (typeId: string, position: XY, edgeId: string | undefined) => void;
  onRendered?: () => void;
  /**
   * The selection as of the latest click, kept current synchronously: keyboard
   * shortcuts read it, since React state lags a keypress that follows a click.
   */
  liveSelection: { current: Set<string> };
  /** Where the mouse is over the canvas (client coordinates), null when it is elsewhere: a paste lands there. */
  pointer?: { current: XY | null };
}

/** The edge under a point of the screen (its wide invisible hit area counts), if any. */
function edgeAt(x: number, y: number): string | undefined {
  const el = document.elementsFromPoint(x, y).map((e) => e.closest('.react-flow__edge')).find(Boolean) as HTMLElement | undefined;
  return el?.dataset.id;
}

export function Canvas({ doc, catalogue, readOnly, overlay, selectRequest, onChange, onSelection, onDropType, onRendered, liveSelection, pointer, minimap = true, onToggleMinimap }: CanvasProps) {
  const theme = useTheme();
  const toast = useToast();
  const flow = useReactFlow();
  const fit = useFit();
  const [nodes, setNodes] = useState<CanvasNode[]>([]);
  const [edges, setEdges] = useState<CanvasEdge[]>([]);
  const selected = useRef(new Set<string>());
  const lastRequest = useRef(0);
  const docRef = useRef(doc);
  docRef.current = doc;
  /** The edge a dragged palette item or unconnected node would be put on, shown highlighted before the drop. */
  const [dropEdge, setDropEdge] = useState<string>();
  const dropEdgeRef = useRef<string | undefined>(undefined);
  const highlight = useCallback((id: string | undefined) => {
    if (dropEdgeRef.current === id) return;
    dropEdgeRef.current = id;
    setDropEdge(id);
  }, []);

  useEffect(() => {
    if (selectRequest && selectRequest.nonce !== lastRequest.current) {
      lastRequest.current = selectRequest.nonce;
      selected.current = new Set(selectRequest.ids);
      liveSelection.current = new Set(selectRequest.ids);
    }
    const sel = selected.current;
    // Each node keeps what React Flow measured of it: a node object without `measured`
    // makes React Flow forget its handles until it measures the node again, and a
    // connection begun meanwhile (right after an autosave's answer redrew the canvas)
    // was let go without an edge. A node whose size does change is measured again anyway.
    // A measured node also keeps React Flow's handles: the drawn ones (`handles`, from
    // geometry) only stand in until then, so that a large program's first frame draws
    // only the nodes in view.
    setNodes((before) => {
      const measured = new Map(before.map((n) => [n.id, n.measured]));
      return toCanvasNodes(doc, catalogue, { ...overlay, selected: sel }).map((n) => {
        const m = measured.get(n.id);
        if (!m) return n;
        const { handles: _drawn, ...rest } = n;
        return { ...rest, measured: m };
      });
    });
    setEdges(toCanvasEdges(doc, { ...overlay, selected: sel }));
  }, [doc, catalogue, overlay, selectRequest, liveSelection]);

  const rendered = useRef(false);
  useEffect(() => {
    if (rendered.current || nodes.length !== doc.nodes.length) return;
    // (doc.nodes in the dependencies only to read positions; this runs once.)
    rendered.current = true;
    // Two frames: React Flow measures nodes after the first paint. A large program
    // opens at its start at a readable zoom rather than fitted into a blur.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (doc.nodes.length > 150) {
        // Start where contacts start: the first trigger, at the left, vertically centred.
        const start = doc.nodes.find((n) => catalogue.get(n.type)?.category === 'trigger') ?? doc.nodes[0];
        const box = document.querySelector('.canvas')?.getBoundingClientRect();
        const zoom = 0.6;
        void flow.setViewport({ x: 40 - (start.position?.x ?? 0) * zoom, y: (box?.height ?? 600) / 2 - ((start.position?.y ?? 0) + 40) * zoom, zoom });
      }
      else if (doc.nodes.length > 0) void fit({ maxZoom: 1, padding: 0.2 });
      onRendered?.();
    }));
  }, [nodes, doc.nodes, onRendered, flow, catalogue, fit]);

  const trackSelection = useCallback((changes: (NodeChange<CanvasNode> | EdgeChange<CanvasEdge>)[]) => {
    for (const c of changes) {
      if (c.type !== 'select') continue;
      if (c.selected) liveSelection.current.add(c.id);
      else liveSelection.current.delete(c.id);
    }
  }, [liveSelection]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    trackSelection(changes);
    // Removals go through the editor's Delete shortcut so they become one document edit.
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns));
    // A finished move (the end of a drag, or arrow keys on a focused node) goes into the
    // document; positions while dragging stay on the canvas only.
    const moved = new Map<string, XY>();
    for (const c of changes) {
      if (c.type !== 'position' || c.dragging !== false || !c.position) continue;
      const before = docRef.current.nodes.find((n) => n.id === c.id)?.position;
      if (!before || Math.round(before.x) !== Math.round(c.position.x) || Math.round(before.y) !== Math.round(c.position.y)) moved.set(c.id, c.position);
    }
    // A node let go over an edge is put on it by onNodeDragStop, as one edit.
    if (moved.size === 1 && dropEdgeRef.current) return;
    if (moved.size) onChange(moveNodes(docRef.current, moved));
  }, [onChange, trackSelection]);
  const onEdgesChange = useCallback((changes: EdgeChange<CanvasEdge>[]) => {
    trackSelection(changes);
    setEdges((es) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), es));
  }, [trackSelection]);

  const onSelectionChange = useCallback(({ nodes: ns, edges: es }: OnSelectionChangeParams) => {
    selected.current = new Set([...ns.map((n) => n.id), ...es.map((e) => e.id)]);
    onSelection(ns.map((n) => n.id), es.map((e) => e.id));
  }, [onSelection]);

  const toConnection = (c: RfConnection | { source: string; sourceHandle?: string | null; target: string }) => ({ source: c.source, sourcePort: c.sourceHandle ?? 'next', target: c.target });

  const isValidConnection = useCallback((c: RfConnection | CanvasEdge) => checkConnection(docRef.current, catalogue, toConnection(c)).ok, [catalogue]);

  const onConnect = useCallback((c: RfConnection) => {
    const conn = toConnection(c);
    const check = checkConnection(docRef.current, catalogue, conn);
    if (!check.ok) return toast(check.reason, 'error');
    onChange(connect(docRef.current, conn.source, conn.sourcePort, conn.target));
  }, [catalogue, onChange, toast]);

  const onConnectEnd = useCallback((e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromNode || !state.fromHandle || state.fromHandle.type !== 'source') return;
    // Dropped on a node rather than exactly on its input (or on a trigger, which has
    // none): connect when the rules allow it, otherwise say why not.
    let target = state.toNode?.id;
    if (!target) {
      const point = 'changedTouches' in e ? e.changedTouches[0] : e;
      const el = document.elementsFromPoint(point.clientX, point.clientY).map((x) => x.closest('.react-flow__node')).find(Boolean) as HTMLElement | undefined;
      target = el?.dataset.id;
    }
    if (!target || target === state.fromNode.id && !state.toNode) return;
    const conn = { source: state.fromNode.id, sourcePort: state.fromHandle.id ?? 'next', target };
    const check = checkConnection(docRef.current, catalogue, conn);
    if (check.ok) onChange(connect(docRef.current, conn.source, conn.sourcePort, conn.target));
    else toast(check.reason, 'error');
  }, [catalogue, onChange, toast]);

  const onDelete = useCallback(({ nodes: ns, edges: es }: { nodes: CanvasNode[]; edges: CanvasEdge[] }) => {
    onChange(removeElements(docRef.current, ns.map((n) => n.id), es.map((e) => e.id)));
  }, [onChange]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (readOnly || !e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    highlight(edgeAt(e.clientX, e.clientY));
  }, [readOnly, highlight]);

  const onDragLeave = useCallback((e: DragEvent) => {
    // Left the canvas, not just moved from one of its elements to another (Chromium gives
    // drag events no relatedTarget, and may send the old element's dragleave after the
    // new one's dragover, so the pointer's place decides).
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    if (e.clientX <= box.left || e.clientX >= box.right || e.clientY <= box.top || e.clientY >= box.bottom) highlight(undefined);
  }, [highlight]);

  /** A node on its own (no connections yet) can be dragged onto an edge, like a palette item. */
  const loose = useCallback((id: string) => catalogue.get(docRef.current.nodes.find((n) => n.id === id)?.type ?? '')?.category !== 'trigger'
    && !docRef.current.edges.some((e) => e.source === id || e.target === id), [catalogue]);

  const onNodeDrag = useCallback((e: MouseEvent | TouchEvent, _node: CanvasNode, dragged: CanvasNode[]) => {
    const point = 'touches' in e ? e.touches[0] : e;
    highlight(!readOnly && point && dragged.length === 1 && loose(dragged[0]!.id) ? edgeAt(point.clientX, point.clientY) : undefined);
  }, [readOnly, loose, highlight]);

  const onNodeDragStop = useCallback((_e: MouseEvent | TouchEvent, node: CanvasNode, dragged: CanvasNode[]) => {
    const edge = dropEdgeRef.current;
    highlight(undefined);
    if (!edge || readOnly || dragged.length !== 1 || !loose(node.id)) return;
    onChange(moveOntoEdge(docRef.current, catalogue, node.id, edge, node.position));
  }, [readOnly, loose, highlight, onChange, catalogue]);

  const onDrop = useCallback((e: DragEvent) => {
    const typeId = e.dataTransfer.getData(DRAG_MIME);
    highlight(undefined);
    if (readOnly || !typeId) return;
    e.preventDefault();
    // Dropped on an edge (its wide invisible hit area) inserts the node there.
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    onDropType(typeId, { x: at.x - NODE_WIDTH / 2, y: at.y - 30 }, edgeAt(e.clientX, e.clientY));
  }, [flow, onDropType, readOnly, highlight]);

  const shownEdges = useMemo(() => (dropEdge ? edges.map((e) => (e.id === dropEdge ? { ...e, className: `${e.className ?? ''} drop-target`.trim() } : e)) : edges), [edges, dropEdge]);

  const big = doc.nodes.length > 150;
  // Below a zoom where no text can be read, nodes are drawn as plain boxes (styles.css,
  // ".far"): panning a whole large program stays fluid. One subscription, true or false.
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const minimapColor = useCallback((n: CanvasNode) => MINIMAP_COLORS[n.data.category] ?? '#9ca3af', []);
  const defaultEdgeOptions = useMemo(() => ({ type: 'tend' }), []);

  return (
    <div className="canvas" onDragOver={onDragOver} onDragEnter={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop} data-testid="canvas" data-drop-edge={dropEdge}
      onMouseMove={pointer ? (e) => { pointer.current = { x: e.clientX, y: e.clientY }; } : undefined}
      onMouseLeave={pointer ? () => { pointer.current = null; } : undefined}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        // Delete/Backspace are handled with the editor's other shortcuts (one code path).
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        onlyRenderVisibleElements={big && !far}
        className={far ? 'far' : undefined}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        colorMode={theme}
        connectionRadius={30}
      >
        <Background gap={20} size={1} />
        {minimap && <MiniMap<CanvasNode> pannable zoomable nodeColor={minimapColor} ariaLabel="Mini map" />}
        <Controls showInteractive={false} showFitView={false}>
          {/* React Flow's own fit button waits for every node to be measured (useFit.ts); same look and class. */}
          <ControlButton className="react-flow__controls-fitview" onClick={() => fit({ padding: 0.1 })} title="Fit view" aria-label="Fit view">
            <svg viewBox="0 0 16 16" aria-hidden><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" fill="none" stroke="currentColor" strokeWidth="1.6" /></svg>
          </ControlButton>
          {onToggleMinimap && (
            <ControlButton onClick={onToggleMinimap} title={minimap ? 'Hide the mini map' : 'Show the mini map'} aria-label={minimap ? 'Hide the mini map' : 'Show the mini map'} aria-pressed={minimap} data-testid="toggle-minimap">
              <svg viewBox="0 0 16 16" aria-hidden><rect x="1.5" y="3" width="13" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" /><rect x="8" y="8" width="5" height="3.5" fill="currentColor" /></svg>
            </ControlButton>
          )}
        </Controls>
      </ReactFlow>
    </div>
  );
}
