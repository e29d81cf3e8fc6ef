// The keyboard shortcuts, shown with "?".
import { Dialog } from './Dialog.js';

export const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ Z', 'Undo'],
  ['Ctrl/⌘ Shift Z, Ctrl Y', 'Redo'],
  ['Ctrl/⌘ C / X / V', 'Copy, cut, paste (pasted nodes get new ids)'],
  ['Ctrl/⌘ D', 'Duplicate the selection'],
  ['Ctrl/⌘ A', 'Select every node'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Shift-click, Shift-drag', 'Add to the selection, select an area'],
  ['Ctrl/⌘ S', 'Save now (drafts also save by themselves)'],
  ['L', 'Auto-layout'],
  ['F', 'Fit the program in view'],
  ['/', 'Search the palette'],
  ['Enter (on a palette item)', 'Add it after the selected node'],
  ['Esc', 'Clear the selection'],
  ['?', 'This list'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcuts"><tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}</tbody></table>
    </Dialog>
  );
}
