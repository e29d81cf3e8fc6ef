// One program: header (name, status, save state, publish, versions), palette, canvas,
// inspector and problems. A live program opens on its published version with live
// counts; "Edit draft" switches to the draft beside it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { api, ApiError, download, session, type ProgramDetail } from '../api.js';
import type { Catalogue, FlowDocument, JsonSchema, NodeType } from '../model/catalogue.js';
import { nodePorts } from '../model/catalogue.js';
import { needsLayout } from '../model/mapping.js';
import { placeProblems, problemsByNode, type PlacedProblem } from '../model/problems.js';
import { addNode, connect, insertOnEdge, moveNodes, newNode, removeElements, type XY } from '../model/edit.js';
import { copySelection, isClip, pasteClip, pasteOffset, type Clip } from '../model/clipboard.js';
import { actionFor, type Action } from '../model/shortcuts.js';
import { layoutPositions } from '../model/layout.js';
import { sameProgram } from '../model/compare.js';
import { browserElk } from './layout-engine.js';
import { NODE_WIDTH, nodeHeight } from '../model/geometry.js';
import { navigate } from '../router.js';
import { Canvas } from './Canvas.js';
import { useFit } from './useFit.js';
import { Palette } from './Palette.js';
import { ThemeSwitch } from './theme.js';
import { usePanels } from './panels.js';
import { Inspector } from './Inspector.js';
import { ProblemsPanel } from './ProblemsPanel.js';
import { ShortcutsDialog } from './Shortcuts.js';
import { VersionsMenu } from './VersionsMenu.js';
import { useDraft } from './useDraft.js';
import { useComments, usePresence } from './useCollaboration.js';
import { countsByNode } from '../model/comments.js';
import { NodeSearch } from './NodeSearch.js';
import { PublishDialog } from './PublishDialog.js';
import { useStats } from './useStats.js';
import { useToast } from './toast.js';

const elk = browserElk();
type View = { kind: 'draft' } | { kind: 'version'; version: number; doc: FlowDocument };

const CLIP_KEY = 'tend.clipboard';
let memoryClip: Clip | undefined;

export function EditorPage({ programId, catalogue, types }: { programId: string; catalogue: Catalogue; types: NodeType[] }) {
  const toast = useToast();
  const flow = useReactFlow();
  const fit = useFit();
  const [detail, setDetail] = useState<ProgramDetail>();
  const [view, setView] = useState<View>();
  const [loadError, setLoadError] = useState('');
  // A viewer sees programs and their counts; the server refuses their changes, and the page does not offer them.
  const mayWrite = session.may('write');
  const draft = useDraft(programId, useCallback((d: ProgramDetail) => setDetail((old) => ({ ...d, draft: old?.draft ?? d.draft })), []), mayWrite);
  const [selection, setSelection] = useState<{ nodes: string[]; edges: string[] }>({ nodes: [], edges: [] });
  const [selectRequest, setSelectRequest] = useState<{ ids: Set<string>; nonce: number }>();
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [panels, togglePanel] = usePanels();
  const [help, setHelp] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [confirmPublish, setConfirmPublish] = useState(false);
  const [settingsSchema, setSettingsSchema] = useState<{ root: JsonSchema; settings: JsonSchema }>();
  const liveSelection = useRef(new Set<string>());
  /** The mouse over the canvas (client coordinates), null elsewhere: a paste lands there. */
  const pointer = useRef<XY | null>(null);
  /**
   * Nodes added in this visit whose problems are not shown yet: a node just dropped is
   * unfinished, not wrong. Its problems show once a field of it is left (blur) or at a
   * publish; the problems panel counts them all along.
   */
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const touch = useCallback((id: string) => setFresh((f) => { if (!f.has(id)) return f; const n = new Set(f); n.delete(id); return n; }), []);
  /** What is selected right now, split into nodes and edges of the document shown. */
  const current = useCallback(() => {
    const ids = liveSelection.current;
    const d = view?.kind === 'version' ? view.doc : draft.doc;
    return { nodes: (d?.nodes ?? []).filter((n) => ids.has(n.id)).map((n) => n.id), edges: (d?.edges ?? []).filter((e) => ids.has(e.id)).map((e) => e.id) };
  }, [view, draft.doc]);
  const openedAt = useRef(performance.now());

  // Load the program; lay out any document that has never been placed.
  useEffect(() => {
    (async () => {
      const d = await api<ProgramDetail>('GET', `/api/flows/${programId}`);
      const layoutStart = performance.now();
      const laidOut = needsLayout(d.draft) ? moveNodes(d.draft, await layoutPositions(elk, d.draft, catalogue)) : undefined;
      if (laidOut) document.body.dataset.layoutMs = String(Math.round(performance.now() - layoutStart));
      setDetail(d);
      draft.load(d, laidOut);
      if (d.liveVersion && (d.status === 'live' || d.status === 'paused')) await showVersion(d.liveVersion);
      else setView({ kind: 'draft' });
    })().catch((e: Error) => setLoadError(e.message));
    fetch('/schemas/tend.flow.v1.json').then((r) => r.json()).then((s: JsonSchema) => setSettingsSchema({ root: s, settings: s.properties?.settings ?? {} })).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [programId, catalogue]);

  const showVersion = async (version: number) => {
    const doc = await api<FlowDocument>('GET', `/api/flows/${programId}/export?version=${version}`);
    const placed = needsLayout(doc) ? moveNodes(doc, await layoutPositions(elk, doc, catalogue)) : doc;
    setView({ kind: 'version', version, doc: placed });
    setSelection({ nodes: [], edges: [] });
  };

  const doc = view?.kind === 'version' ? view.doc : draft.doc;
  // An archived program is kept for the record: it can be looked at, not edited.
  const readOnly = !mayWrite || view?.kind !== 'draft' || detail?.status === 'archived';
  const watching = !!detail?.liveVersion;
  const { stats, tick } = useStats(programId, watching && !!view, view?.kind === 'version' ? view.version : undefined);

  const comments = useComments(programId);
  const others = usePresence(programId);
  const commentCounts = useMemo(() => countsByNode(comments.comments), [comments.comments]);
  const placed: PlacedProblem[] = useMemo(() => (draft.problems && !readOnly ? placeProblems(draft.problems.doc, draft.problems.list) : []), [draft.problems, readOnly]);
  /** What the canvas and the inspector show: every problem but those of nodes not touched yet. */
  const shown = useMemo(() => (fresh.size ? placed.filter((p) => !p.nodeId || !fresh.has(p.nodeId)) : placed), [placed, fresh]);
  const overlay = useMemo(() => ({
    problems: problemsByNode(shown),
    edgeProblems: new Map(shown.filter((p) => p.edgeId).map((p) => [p.edgeId!, p.message])),
    stats: stats ? { nodes: stats.nodes, edges: stats.edges } : undefined,
    comments: commentCounts,
  }), [shown, stats, commentCounts]);

  const change = draft.change;
  const select = (ids: Iterable<string>) => setSelectRequest({ ids: new Set(ids), nonce: Date.now() + Math.random() });
  // A link to a node (`?node=welcome`, as a mention's email has) opens with that node selected and shown.
  const linkedNode = useRef(new URLSearchParams(location.search).get('node'));
  useEffect(() => {
    const id = linkedNode.current;
    if (!id || !view || !doc?.nodes.some((n) => n.id === id)) return;
    linkedNode.current = null;
    select([id]);
    setTimeout(() => void fit({ nodes: [id], duration: 300, maxZoom: 1 }), 30);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, doc]);

  const addType = useCallback((typeId: string, position?: XY, edgeId?: string) => {
    const d = draft.doc;
    const type = catalogue.get(typeId);
    if (!d || !type || readOnly) return;
    let next: FlowDocument;
    let node;
    const from = selection.nodes.length === 1 ? d.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
    const freePort = from && type.category !== 'trigger' ? nodePorts(catalogue, from).find((p) => !d.edges.some((e) => e.source === from.id && e.sourcePort === p.name)) : undefined;
    if (position) {
      node = newNode(d, type, position);
      next = edgeId && type.category !== 'trigger' ? insertOnEdge(d, catalogue, edgeId, node) : addNode(d, node);
    } else if (from && freePort) {
      // Keyboard add: after the selected node, on its first free output.
      const index = nodePorts(catalogue, from).indexOf(freePort);
      node = newNode(d, type, { x: (from.position?.x ?? 0) + NODE_WIDTH + 90, y: (from.position?.y ?? 0) + index * 110 });
      next = connect(addNode(d, node), from.id, freePort.name, node.id);
    } else {
      const box = document.querySelector('.canvas')?.getBoundingClientRect();
      const centre = flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 });
      node = newNode(d, type, { x: centre.x - NODE_WIDTH / 2, y: centre.y - 40 });
      next = addNode(d, node);
    }
    change(next);
    setFresh((f) => new Set(f).add(node.id));
    select([node.id]);
  }, [draft.doc, catalogue, readOnly, selection.nodes, flow, change]);

  const copy = useCallback((cut: boolean) => {
    const sel = current();
    if (!draft.doc || sel.nodes.length === 0) return;
    const clip = copySelection(draft.doc, sel.nodes);
    memoryClip = clip;
    try { sessionStorage.setItem(CLIP_KEY, JSON.stringify(clip)); } catch { /* too big for storage: the in-memory copy still works */ }
    toast(`${cut ? 'Cut' : 'Copied'} ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}`);
    if (cut && !readOnly) change(removeElements(draft.doc, sel.nodes, sel.edges));
  }, [draft.doc, current, readOnly, change, toast]);

  /** Pastes at the mouse when it is over the canvas, else in the free space right of the program; never on a node. */
  const paste = useCallback((clip?: Clip, atMouse = true) => {
    if (!draft.doc || readOnly) return;
    let c = clip ?? memoryClip;
    if (!clip) {
      try { const s = JSON.parse(sessionStorage.getItem(CLIP_KEY) ?? 'null'); if (isClip(s)) c = s; } catch { /* keep the in-memory clip */ }
    }
    if (!c || c.nodes.length === 0) return;
    const mouse = atMouse ? pointer.current : null;
    const at = mouse ? flow.screenToFlowPosition(mouse) : undefined;
    const offset = pasteOffset(draft.doc, c, at, (n) => nodeHeight(nodePorts(catalogue, n).length));
    const { doc: next, nodeIds } = pasteClip(draft.doc, c, offset);
    change(next);
    select(nodeIds);
  }, [draft.doc, readOnly, change, flow, catalogue]);

  const autoLayout = useCallback(async () => {
    if (!draft.doc || readOnly) return;
    change(moveNodes(draft.doc, await layoutPositions(elk, draft.doc, catalogue)));
    setTimeout(() => void fit({ duration: 300, maxZoom: 1, padding: 0.15 }), 50);
  }, [draft.doc, readOnly, catalogue, change, fit]);

  const deleteSelection = useCallback(() => {
    if (!draft.doc || readOnly) return;
    const sel = current();
    change(removeElements(draft.doc, sel.nodes, sel.edges));
  }, [draft.doc, readOnly, current, change]);

  // Keyboard shortcuts (see model/shortcuts.ts); typing in a field or a dialog is left alone.
  useEffect(() => {
    const actions: Record<Action, () => void> = {
      undo: draft.undo,
      redo: draft.redo,
      copy: () => copy(false),
      cut: () => copy(true),
      paste: () => paste(),
      duplicate: () => { if (draft.doc) paste(copySelection(draft.doc, current().nodes), false); },
      selectAll: () => { if (doc) select([...doc.nodes.map((n) => n.id), ...doc.edges.map((x) => x.id)]); },
      save: () => void draft.saveNow().then(() => toast('Saved', 'success')).catch((err: Error) => toast(err.message, 'error')),
      delete: deleteSelection,
      layout: () => void autoLayout(),
      fit: () => void fit({ duration: 300, maxZoom: 1, padding: 0.15 }),
      search: () => document.getElementById('palette-search')?.focus(),
      help: () => setHelp(true),
      clear: () => select([]),
    };
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]') || document.querySelector('.dialog')) return;
      const action = actionFor(e);
      if (!action) return;
      e.preventDefault();
      actions[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft, copy, paste, autoLayout, deleteSelection, current, fit, doc, toast]);

  /** A refused publish lists the draft's problems; any other failure is a toast. */
  const publishFailed = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422 && draft.doc) {
      draft.setProblems({ doc: draft.doc, list: e.problems });
      setProblemsOpen(true);
      toast(`Publishing refused: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} to fix first.`, 'error');
    } else toast(`Publish failed: ${(e as Error).message}`, 'error');
  };

  /** Save the draft (the server validates it) and throw its problems, if it has any. */
  const saveValid = async () => {
    const known = await draft.saveNow();
    // The save just validated the draft on the server; do not ask it to publish a
    // draft it has already said is broken.
    if (known && known.problems.length) throw new ApiError(422, 'The program has problems', known.problems);
  };

  /** Publish asks first: saves (the server validates), then shows what would change. */
  const askToPublish = async () => {
    // Trying to publish shows every problem, those of untouched nodes too.
    setFresh(new Set());
    try {
      await saveValid();
      setConfirmPublish(true);
    } catch (e) {
      publishFailed(e);
    }
  };

  const publish = async () => {
    setConfirmPublish(false);
    setPublishing(true);
    try {
      await saveValid();
      const r = await api<{ version: number }>('POST', `/api/flows/${programId}/publish`);
      toast(`Published version ${r.version}. New contacts enter it from now on.`, 'success');
      const d = await api<ProgramDetail>('GET', `/api/flows/${programId}`);
      setDetail(d);
      await showVersion(r.version);
    } catch (e) {
      publishFailed(e);
    } finally {
      setPublishing(false);
    }
  };

  const setStatus = async (action: 'pause' | 'resume') => {
    try { setDetail(await api<ProgramDetail>('POST', `/api/flows/${programId}/${action}`)); }
    catch (e) { toast((e as Error).message, 'error'); }
  };

  useEffect(() => { if (doc) document.title = `${doc.name} · Tend`; }, [doc?.name]);

  const nodeTitle = useCallback((id: string) => {
    const n = doc?.nodes.find((x) => x.id === id);
    return n?.label || catalogue.get(n?.type ?? '')?.title || id;
  }, [doc, catalogue]);
  const edgeTitle = useCallback((id: string) => {
    const e = doc?.edges.find((x) => x.id === id);
    return e ? `Connection ${nodeTitle(e.source)} → ${nodeTitle(e.target)}` : 'Connection';
  }, [doc, nodeTitle]);

  const showProblem = (p: PlacedProblem) => {
    if (view?.kind !== 'draft') setView({ kind: 'draft' });
    if (p.nodeId) {
      select([p.nodeId]);
      setTimeout(() => void fit({ nodes: [p.nodeId!], duration: 300, maxZoom: 1 }), 30);
    }
  };

  const onSelection = useCallback((nodes: string[], edges: string[]) => setSelection({ nodes, edges }), []);

  const onRendered = useCallback(() => {
    // From opening this program (fetch, layout when needed, first render), and from the
    // page's navigation start when the program was opened by its URL.
    document.body.dataset.openToLaidOutMs = String(Math.round(performance.now() - openedAt.current));
    document.body.dataset.sinceNavigationMs = String(Math.round(performance.now()));
  }, []);

  if (loadError) return <main className="center"><p className="error">Could not open the program: {loadError}</p><button onClick={() => navigate('/')}>Back to programs</button></main>;
  if (!detail || !doc || !view) return <main className="center muted">Opening…</main>;

  const draftDiffers = detail.liveVersion && view.kind === 'version' && draft.doc ? !sameProgram(draft.doc, view.doc) : false;
  const saveLabel = { saved: 'All changes saved', unsaved: 'Unsaved changes…', saving: 'Saving…', error: 'Save failed — retrying on next change', conflict: 'Not saved: changed elsewhere' }[draft.saveState];
  /** The other save wins: this tab shows the draft as the server has it now. */
  const reloadTheirs = async () => {
    const d = await api<ProgramDetail>('GET', `/api/flows/${programId}`);
    setDetail(d);
    draft.load(d);
  };

  return (
    <div className="editor">
      <header className="topbar">
        <a className="brand" href="/" onClick={(e) => { e.preventDefault(); void draft.saveNow().finally(() => navigate('/')); }}><span className="brand-mark" />Tend</a>
        <nav className="crumbs"><a href="/" onClick={(e) => { e.preventDefault(); void draft.saveNow().finally(() => navigate('/')); }}>Programs</a> / <strong data-testid="program-name">{doc.name}</strong></nav>
        <span className={`status status-${detail.status}`} data-testid="program-status">{detail.status}</span>
        {detail.liveVersion && <div className="view-switch" role="tablist" aria-label="Version shown">
          {detail.liveVersion && <button role="tab" aria-selected={view.kind === 'version'} className={view.kind === 'version' ? 'on' : ''} onClick={() => void showVersion(view.kind === 'version' ? view.version : detail.liveVersion!)}>{view.kind === 'version' ? `Viewing v${view.version}` : `Live v${detail.liveVersion}`}</button>}
          <button role="tab" aria-selected={view.kind === 'draft'} className={view.kind === 'draft' ? 'on' : ''} onClick={() => { setView({ kind: 'draft' }); setSelection({ nodes: [], edges: [] }); }} data-testid="edit-draft">Edit draft</button>
        </div>}
        {draftDiffers && <span className="pill" title="The draft differs from this version">draft has changes</span>}
        <div className="spacer" />
        {others.length > 0 && <span className="presence" data-testid="presence" title={others.map((o) => `${o.name}, since ${new Date(o.since).toLocaleTimeString()}`).join('\n')}>Also here: {others.map((o) => o.name).join(', ')}</span>}
        {view.kind === 'draft' && mayWrite && <span className={`save-state save-${draft.saveState}`} data-testid="save-state">{saveLabel}</span>}
        {view.kind === 'draft' && mayWrite && (
          <>
            <button className="icon" title="Undo (Ctrl+Z)" aria-label="Undo" disabled={!draft.canUndo} onClick={draft.undo}>↶</button>
            <button className="icon" title="Redo (Ctrl+Shift+Z)" aria-label="Redo" disabled={!draft.canRedo} onClick={draft.redo}>↷</button>
            <button title="Auto-layout (L)" onClick={() => void autoLayout()}>Layout</button>
          </>
        )}
        <VersionsMenu programId={programId} detail={detail} shown={view.kind === 'version' ? view.version : 'draft'}
          onVersions={(versions) => setDetail((d) => d && { ...d, versions })}
          onShowDraft={() => setView({ kind: 'draft' })} onShowVersion={(v) => void showVersion(v)} />
        {detail.liveVersion && <a className="button" href={`/programs/${programId}/results`} onClick={(e) => { e.preventDefault(); void draft.saveNow().finally(() => navigate(`/programs/${programId}/results`)); }} data-testid="results">Results</a>}
        <button onClick={() => void draft.saveNow().then(() => download(`/api/flows/${programId}/export${view.kind === 'version' ? `?version=${view.version}` : ''}`, 'program.tend.json')).catch((e: Error) => toast(e.message, 'error'))} data-testid="export">Export</button>
        {detail.status === 'live' && <button onClick={() => void setStatus('pause')} disabled={!mayWrite}>Pause</button>}
        {detail.status === 'paused' && <button onClick={() => void setStatus('resume')} disabled={!mayWrite}>Resume</button>}
        {view.kind === 'draft' && (
          <button className={`primary${placed.length ? ' blocked' : ''}`} onClick={() => void askToPublish()} disabled={!mayWrite || publishing || detail.status === 'archived'} data-testid="publish"
            title={!mayWrite ? `A ${session.person()?.role ?? 'viewer'} may not publish` : placed.length ? `${placed.length} problem(s) must be fixed before publishing` : 'Publish a new version'}>
            {publishing ? 'Publishing…' : detail.liveVersion ? `Publish v${Math.max(0, ...detail.versions.map((v) => v.version)) + 1}` : 'Publish'}
          </button>
        )}
        <ThemeSwitch />
        <button className="icon" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={() => setHelp(true)}>?</button>
      </header>
      {draft.conflict && (
        <div className="conflict-banner" role="alertdialog" aria-labelledby="conflict-title" data-testid="conflict">
          <strong id="conflict-title">This program was changed in another tab or by someone else</strong>
          <span>{draft.conflict.updatedAt ? ` (saved ${new Date(draft.conflict.updatedAt).toLocaleTimeString()})` : ''} since you opened it.{others.length ? ` ${others.map((o) => o.name).join(', ')} ${others.length === 1 ? 'has' : 'have'} it open now.` : ''} Your latest change is not saved yet.</span>
          <button onClick={() => void reloadTheirs().catch((e: Error) => toast(e.message, 'error'))} data-testid="conflict-reload">Reload their version</button>
          <button className="primary" onClick={draft.keepMine} data-testid="conflict-keep-mine">Keep mine</button>
        </div>
      )}
      {!mayWrite && (
        <div className="banner read-only-banner" data-testid="read-only-banner">
          You are signed in as a {session.person()?.role ?? 'viewer'}: you can look at this program and follow its counts; building, publishing and exporting contacts are for marketers and admins.
        </div>
      )}
      <div className={`workspace${panels.palette ? '' : ' palette-folded'}${panels.inspector ? '' : ' inspector-folded'}`} data-testid="workspace">
        {panels.palette ? (
          <div className="side side-left">
            <Palette types={types} onAdd={(id) => addType(id)} disabled={
              !mayWrite ? `A ${session.person()?.role ?? 'viewer'} looks at programs; building them is for marketers and admins.`
                : detail.status === 'archived' ? 'An archived program is kept for the record: it cannot be edited.'
                  : view.kind !== 'draft' ? 'Viewing a published version. Switch to the draft to edit.' : false} />
            <button className="fold" onClick={() => togglePanel('palette')} aria-expanded title="Hide the node palette" aria-label="Hide the node palette" data-testid="fold-palette">‹ Hide</button>
          </div>
        ) : (
          <button className="rail rail-left" onClick={() => togglePanel('palette')} aria-expanded={false} title="Show the node palette" aria-label="Show the node palette" data-testid="unfold-palette"><span>Nodes ›</span></button>
        )}
        <div className="center-column">
          {view.kind === 'version' && (
            <div className="banner" data-testid="watch-banner">
              Watching version {view.version}{view.version === detail.liveVersion ? ' (live)' : ''}: counts refresh every few seconds.{stats?.enrollments && <> {Object.entries(stats.enrollments).map(([k, v]) => `${v} ${k.replace('_', ' ')}`).join(' · ')}</>}
              <button className="link" onClick={() => setView({ kind: 'draft' })}>Edit the draft</button>
              {mayWrite && <button className="link" data-testid="restore-version" onClick={() => {
                // The version becomes the draft as one undoable edit, saved like any other.
                draft.change({ ...view.doc, name: draft.doc?.name ?? view.doc.name });
                setView({ kind: 'draft' });
                toast(`Version ${view.version} restored to the draft (undo brings the previous draft back). Publish it to make it live again.`, 'success');
              }}>Restore this version to the draft</button>}
            </div>
          )}
          {/* The search floats over the canvas only, never over a banner above it. */}
          <div className="canvas-stage">
          <NodeSearch doc={doc} catalogue={catalogue} onShow={(id) => {
            select([id]);
            setTimeout(() => void fit({ nodes: [id], duration: 300, maxZoom: 1 }), 30);
          }} />
          <Canvas
            key={view.kind === 'version' ? `v${view.version}` : 'draft'}
            doc={doc}
            catalogue={catalogue}
            readOnly={readOnly}
            overlay={overlay}
            selectRequest={selectRequest}
            onChange={change}
            onSelection={onSelection}
            onDropType={(typeId, pos, edgeId) => addType(typeId, pos, edgeId)}
            onRendered={onRendered}
            liveSelection={liveSelection}
            pointer={pointer}
            minimap={panels.minimap}
            onToggleMinimap={() => togglePanel('minimap')}
          />
          </div>
          {view.kind === 'draft' && <ProblemsPanel problems={placed} open={problemsOpen} onToggle={() => setProblemsOpen((o) => !o)} onShow={showProblem} nodeTitle={nodeTitle} edgeTitle={edgeTitle} />}
        </div>
        {panels.inspector ? <div className="side side-right">
        <Inspector
          doc={doc}
          catalogue={catalogue}
          programId={programId}
          selectedNodes={selection.nodes}
          selectedEdges={selection.edges}
          readOnly={readOnly}
          watching={watching}
          problems={shown}
          onTouched={touch}
          counts={stats?.nodes}
          settingsSchema={settingsSchema}
          refreshTick={tick}
          onChange={change}
          onDeleteSelection={deleteSelection}
          comments={comments}
        />
        <button className="fold" onClick={() => togglePanel('inspector')} aria-expanded title="Hide the inspector" aria-label="Hide the inspector" data-testid="fold-inspector">Hide ›</button>
        </div> : (
          <button className="rail rail-right" onClick={() => togglePanel('inspector')} aria-expanded={false} title="Show the inspector" aria-label="Show the inspector" data-testid="unfold-inspector"><span>‹ Inspector</span></button>
        )}
      </div>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
      {confirmPublish && draft.doc && <PublishDialog programId={programId} detail={detail} draft={draft.doc} catalogue={catalogue} onConfirm={() => void publish()} onClose={() => setConfirmPublish(false)} />}
    </div>
  );
}
