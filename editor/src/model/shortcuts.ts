// Which editor action a key press means. Pure, so the table in the README and the
// behaviour cannot drift apart without a failing test.
export type Action =
  | 'undo' | 'redo' | 'copy' | 'cut' | 'paste' | 'duplicate' | 'selectAll' | 'save'
  | 'delete' | 'layout' | 'fit' | 'search' | 'help' | 'clear';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export function actionFor(e: KeyPress): Action | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  if (mod) {
    if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
    return ({ y: 'redo', c: 'copy', x: 'cut', v: 'paste', d: 'duplicate', a: 'selectAll', s: 'save' } as Record<string, Action>)[k];
  }
  if (e.key === 'Delete' || e.key === 'Backspace') return 'delete';
  if (e.key === 'Escape') return 'clear';
  if (e.key === '?') return 'help';
  return ({ l: 'layout', f: 'fit', '/': 'search' } as Record<string, Action>)[k];
}
