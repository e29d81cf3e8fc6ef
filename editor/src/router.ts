// Two screens, real URLs: "/" lists programs, "/programs/:id" edits one. The server
// answers every non-API path with the editor, so links and reloads work.
import { useEffect, useState } from 'react';

export type Route = { page: 'programs' } | { page: 'program'; id: string };

export function parseRoute(pathname: string): Route {
  const m = /^\/programs\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  return m ? { page: 'program', id: m[1] } : { page: 'programs' };
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
