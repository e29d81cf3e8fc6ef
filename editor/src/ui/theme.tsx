// Light and dark theme (issue #13 point 7). The editor follows the system's
// `prefers-color-scheme` until the person picks one in the top bar; the choice is kept
// in localStorage. The resolved theme is `data-theme` on <html>, which styles.css
// reads, and React Flow's `colorMode` on the canvas.
import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'tend.theme';
const listeners = new Set<() => void>();
const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;

export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function resolvedTheme(choice: ThemeChoice = themeChoice()): Theme {
  return choice === 'system' ? (media?.matches ? 'dark' : 'light') : choice;
}

function apply(): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = resolvedTheme();
  for (const l of listeners) l();
}

export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch { /* private mode: the choice lasts this page */ }
  apply();
}

media?.addEventListener('change', apply);
apply();

const subscribe = (l: () => void) => { listeners.add(l); return () => listeners.delete(l); };

/** The theme in effect (re-renders when the choice or the system's scheme changes). */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => resolvedTheme(), () => 'light');
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, themeChoice, () => 'system');
}

/** The switch in the top bar: follow the system, or always light or dark. */
export function ThemeSwitch() {
  const choice = useThemeChoice();
  return (
    <select className="theme-switch" aria-label="Theme" title="Colour theme: Auto follows the system" data-testid="theme-switch" value={choice}
      onChange={(e) => setThemeChoice(e.target.value as ThemeChoice)}>
      <option value="system">◐ Auto</option>
      <option value="light">☀ Light</option>
      <option value="dark">☾ Dark</option>
    </select>
  );
}
