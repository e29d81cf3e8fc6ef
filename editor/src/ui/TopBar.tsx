// The bar over every list screen: where you are, the other screens, who is signed in.
// Team and Audit log are offered to whoever may use them: an owner or an admin, or a
// key (its scope is not known here; a key that may not is told so by the screen).
import type { ReactNode } from 'react';
import { session } from '../api.js';
import { navigate, type Route } from '../router.js';
import { ThemeSwitch } from './theme.js';

const SCREENS: { page: Route['page']; path: string; label: string; admin: boolean }[] = [
  { page: 'dashboard', path: '/dashboard', label: 'Dashboard', admin: false },
  { page: 'programs', path: '/', label: 'Programs', admin: false },
  { page: 'contacts', path: '/contacts', label: 'Contacts', admin: false },
  { page: 'segments', path: '/segments', label: 'Segments', admin: false },
  { page: 'scoring', path: '/scoring', label: 'Scoring', admin: false },
  { page: 'forms', path: '/forms', label: 'Forms', admin: false },
  { page: 'website', path: '/website', label: 'Website', admin: false },
  { page: 'landing-pages', path: '/landing-pages', label: 'Landing pages', admin: false },
  { page: 'messages', path: '/messages', label: 'Messages', admin: false },
  { page: 'team', path: '/team', label: 'Team', admin: true },
  { page: 'audit', path: '/audit', label: 'Audit log', admin: true },
  { page: 'settings', path: '/settings', label: 'Settings', admin: true },
];


export function TopBar({ current, title, children }: { current: Route['page']; title: ReactNode; children?: ReactNode }) {
  const person = session.person();
  return (
    <header className="topbar">
      <div className="brand"><span className="brand-mark" />Tend</div>
      <h1>{title}</h1>
      <nav className="screens" aria-label="Screens">
        {SCREENS.filter((s) => !s.admin || session.may('admin')).map((s) => (
          <a key={s.page} href={s.path} aria-current={s.page === current ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(s.path); }}>{s.label}</a>
        ))}
      </nav>
      <div className="spacer" />
      {children}
      <ThemeSwitch />
      {person && <span className="whoami" data-testid="whoami">{person.name} · {person.role}</span>}
      <button onClick={() => void session.signOut()}>Sign out</button>
    </header>
  );
}
