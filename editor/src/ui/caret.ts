// Where the caret goes after the editor itself changed a field's text (a mention picked,
// a variable inserted). Placed in a layout effect, right after React has put the new
// text in the field and before the browser handles the next key: placing it a frame
// later let a fast typist's next letter land before the jump.
import { useLayoutEffect, useRef, type RefObject } from 'react';

export function useCaretAfterChange<T extends HTMLInputElement | HTMLTextAreaElement>(field: RefObject<T | null>, text: string): (at: number) => void {
  const pending = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = pending.current;
    const el = field.current;
    if (at === null || !el || el.value !== text) return;
    pending.current = null;
    el.focus();
    el.setSelectionRange(at, at);
  }, [field, text]);
  return (at: number) => { pending.current = at; };
}
