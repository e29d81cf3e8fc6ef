// Undo and redo over whole-document snapshots. Edits share structure, so a snapshot
// costs little even for a 1,000-node program.

export interface History<T> {
  past: T[];
  future: T[];
}

export const emptyHistory = <T>(): History<T> => ({ past: [], future: [] });

const LIMIT = 200;

/** Records `before` as the state an undo returns to; a new edit clears the redo side. */
export function record<T>(h: History<T>, before: T): History<T> {
  const past = [...h.past, before];
  return { past: past.length > LIMIT ? past.slice(past.length - LIMIT) : past, future: [] };
}

export function undo<T>(h: History<T>, current: T): { history: History<T>; value: T } | undefined {
  if (h.past.length === 0) return undefined;
  const value = h.past[h.past.length - 1];
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future] }, value };
}

export function redo<T>(h: History<T>, current: T): { history: History<T>; value: T } | undefined {
  if (h.future.length === 0) return undefined;
  const [value, ...future] = h.future;
  return { history: { past: [...h.past, current], future }, value };
}
