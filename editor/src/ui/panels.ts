// Which of the editor's side panels are open (issue #13 point 7): the node palette, the
// inspector and the canvas's mini map fold away, and the choice is remembered in
// localStorage for the next program opened.
import { useCallback, useState } from 'react';

export interface Panels { palette: boolean; inspector: boolean; minimap: boolean }

const KEY = 'tend.editor.panels';
const DEFAULTS: Panels = { palette: true, inspector: true, minimap: true };

function load(): Panels {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<keyof Panels, unknown>>;
    return {
      palette: typeof v.palette === 'boolean' ? v.palette : DEFAULTS.palette,
      inspector: typeof v.inspector === 'boolean' ? v.inspector : DEFAULTS.inspector,
      minimap: typeof v.minimap === 'boolean' ? v.minimap : DEFAULTS.minimap,
    };
  } catch {
    return DEFAULTS;
  }
}

export function usePanels(): [Panels, (panel: keyof Panels) => void] {
  const [panels, setPanels] = useState(load);
  const toggle = useCallback((panel: keyof Panels) => {
    setPanels((p) => {
      const next = { ...p, [panel]: !p[panel] };
      try { localStorage.setItem(KEY, JSON.stringify(next)); } catch { /* kept for this page */ }
      return next;
    });
  }, []);
  return [panels, toggle];
}
