// A small modal: a title, content, and buttons; Escape closes it, focus starts inside.
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    // The first field, else the main button, else any: not the header's close button,
    // which comes first in the document (so typing a name right away works).
    const root = ref.current;
    const el = root?.querySelector<HTMLElement>('input, textarea, select') ?? root?.querySelector<HTMLElement>('button.primary') ?? root?.querySelector<HTMLElement>('button');
    el?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') close.current(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className={`dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <header><h2>{title}</h2><button className="icon" aria-label="Close" onClick={onClose}>×</button></header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}

/** Asks for one line of text. */
export function PromptDialog({ title, label, initial, confirm, onSubmit, onClose }: { title: string; label: string; initial: string; confirm: string; onSubmit: (v: string) => void; onClose: () => void }) {
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); const v = new FormData(e.currentTarget).get('value'); if (typeof v === 'string' && v.trim()) onSubmit(v.trim()); }}>
        <label className="field"><span className="field-label">{label}</span><input name="value" defaultValue={initial} maxLength={200} required /></label>
        <div className="dialog-actions"><button type="button" onClick={onClose}>Cancel</button><button className="primary" type="submit">{confirm}</button></div>
      </form>
    </Dialog>
  );
}
