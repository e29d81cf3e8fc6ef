// The draft being edited: the document, undo/redo, and saving it a moment after each
// change (autosave), with the server's validation problems of what was saved. Every save
// names the revision it was made from: when another tab or person saved in between,
// the server refuses it (409) and the page asks whether to reload theirs or keep mine.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type ProgramDetail } from '../api.js';
import type { FlowDocument } from '../model/catalogue.js';
import { emptyHistory, record, redo as redoOf, undo as undoOf, type History } from '../model/history.js';
import type { Problem } from '../model/problems.js';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict';

const SAVE_DELAY_MS = 600;
/** Keystrokes in one field within this window undo together. */
const COALESCE_MS = 1200;

/** `canSave` is false for a person who may not change programs (a viewer): the draft is shown, never saved. */
export function useDraft(programId: string, onSaved: (d: ProgramDetail) => void, canSave = true) {
  const [doc, setDocState] = useState<FlowDocument>();
  const [problems, setProblems] = useState<{ doc: FlowDocument; list: Problem[] }>();
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [history, setHistory] = useState<History<FlowDocument>>(emptyHistory());
  const docRef = useRef<FlowDocument>(undefined);
  const saved = useRef<string>('');
  const last = useRef({ key: '', at: 0 });
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const lastProblems = useRef<Problem[]>([]);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;
  const revision = useRef(0);
  /** Set when a save was refused because the draft changed elsewhere: the revision it is at now. */
  const [conflict, setConflict] = useState<{ currentRevision: number; updatedAt?: string }>();

  const load = useCallback((d: ProgramDetail, laidOut?: FlowDocument) => {
    docRef.current = laidOut ?? d.draft;
    saved.current = JSON.stringify(d.draft);
    revision.current = d.revision;
    setConflict(undefined);
    setDocState(docRef.current);
    setProblems({ doc: d.draft, list: d.problems });
    lastProblems.current = d.problems;
    setHistory(emptyHistory());
    setSaveState(laidOut && canSave ? 'unsaved' : 'saved');
  }, [canSave]);

  /** Applies an edit; `coalesceKey` merges rapid edits of one field into one undo step. */
  const change = useCallback((next: FlowDocument, coalesceKey?: string) => {
    const before = docRef.current;
    if (!before || next === before) return;
    const now = Date.now();
    const merge = coalesceKey && last.current.key === coalesceKey && now - last.current.at < COALESCE_MS;
    last.current = { key: coalesceKey ?? '', at: now };
    if (!merge) setHistory((h) => record(h, before));
    docRef.current = next;
    setDocState(next);
    setSaveState('unsaved');
  }, []);

  const step = useCallback((dir: 'undo' | 'redo') => {
    const current = docRef.current;
    if (!current) return;
    setHistory((h) => {
      const r = dir === 'undo' ? undoOf(h, current) : redoOf(h, current);
      if (!r) return h;
      docRef.current = r.value;
      setDocState(r.value);
      setSaveState('unsaved');
      last.current = { key: '', at: 0 };
      return r.history;
    });
  }, []);

  /** Saves now if there is anything unsaved; resolves, once the server has it, to the server's problems with it. */
  const saveNow = useCallback((): Promise<{ problems: Problem[] } | undefined> => {
    const next = chain.current.then(async () => {
      const d = docRef.current;
      if (!d) return undefined;
      if (!canSave) return { problems: lastProblems.current };
      const json = JSON.stringify(d);
      if (json === saved.current) {
        setSaveState((s) => (docRef.current === d ? 'saved' : s));
        return { problems: lastProblems.current };
      }
      setSaveState('saving');
      try {
        const detail = await api<ProgramDetail>('PUT', `/api/flows/${programId}`, d, undefined, { 'if-match': `"${revision.current}"` });
        revision.current = detail.revision;
        saved.current = json;
        lastProblems.current = detail.problems;
        setProblems({ doc: d, list: detail.problems });
        setSaveState(docRef.current === d ? 'saved' : 'unsaved');
        onSavedRef.current(detail);
        return { problems: detail.problems };
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && typeof e.extensions.currentRevision === 'number') {
          // Someone else's save came first: nothing is overwritten until the person chooses.
          setConflict({ currentRevision: e.extensions.currentRevision, updatedAt: e.extensions.updatedAt as string | undefined });
          setSaveState('conflict');
        } else setSaveState('error');
        throw e;
      }
    });
    chain.current = next.catch(() => undefined);
    return next;
  }, [programId, canSave]);

  useEffect(() => {
    if (saveState !== 'unsaved') return;
    const t = setTimeout(() => void saveNow().catch(() => undefined), SAVE_DELAY_MS);
    return () => clearTimeout(t);
  }, [doc, saveState, saveNow]);

  // Do not lose an edit by closing the tab within the autosave delay.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => { if (JSON.stringify(docRef.current) !== saved.current) e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  /** Saves this tab's draft over the other one (it becomes the next revision). */
  const keepMine = useCallback(() => {
    if (!conflict) return;
    revision.current = conflict.currentRevision;
    setConflict(undefined);
    setSaveState('unsaved');
  }, [conflict]);

  return { doc, load, change, conflict, keepMine, undo: () => step('undo'), redo: () => step('redo'), canUndo: history.past.length > 0, canRedo: history.future.length > 0, saveNow, saveState, problems, setProblems };
}
