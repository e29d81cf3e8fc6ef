// The screens, with real URLs: "/" lists programs, "/programs/:id" edits one, "/team"
// is the people and their roles, "/audit" the audit log. The server answers every
// non-API path with the editor, so links and reloads work.
import { useEffect, useState } from 'react';

export type Route = { page: 'programs' } | { page: 'program'; id: string } | { page: 'team' } | { page: 'audit' };

export function parseRoute(pathname: string): Route {
  const m = /^\/programs\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  if (m) return { page: 'program', id: m[1]! };
  if (/^\/team\/?$/.test(pathname)) return { page: 'team' };
  if (/^\/audit\/?$/.test(pathname)) return { page: 'audit' };
  return { page: 'programs' };
}

export function navigate(path: string): void {
  if (location.pathname === path) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return route;
}
