// The screens, with real URLs: "/dashboard" is the home screen's figures, "/" lists
// programs and "/programs/:id" edits one ("/programs/:id/results": its conversions and lift), "/contacts" lists contacts and
// "/contacts/:id" is one's profile, "/segments" lists segments and "/segments/:id" (or
// "/segments/new") builds one, "/scoring" the lead-scoring rules, "/forms" the forms
// and "/forms/:id" (or "/forms/new") builds one, "/landing-pages" the hosted landing
// pages and "/landing-pages/:id" one, "/messages" every message sent,
// "/team" is the people and their
// roles, "/audit" the audit log, "/settings" API and site keys. The server answers
// every non-API path with the editor, so links and reloads work.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'dashboard' } | { page: 'programs' } | { page: 'program'; id: string }
  | { page: 'contacts' } | { page: 'contact'; id: string } | { page: 'segments' } | { page: 'segment'; id: string | 'new' }
  | { page: 'scoring' } | { page: 'forms' } | { page: 'form'; id: string | 'new' } | { page: 'messages' }
  | { page: 'team' } | { page: 'audit' } | { page: 'settings' }
  | { page: 'program-results'; id: string }
  | { page: 'website' } | { page: 'content-slot'; id: string | 'new' }
  | { page: 'landing-pages' } | { page: 'landing-page'; id: string | 'new' };

export function parseRoute(pathname: string): Route {
  // A program's conversions, revenue and lift (ui/ProgramResultsPage.tsx).
  const results = /^\/programs\/([0-9a-f-]{36})\/results\/?$/i.exec(pathname);
  if (results) return { page: 'program-results', id: results[1]! };
  const m = /^\/programs\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  if (m) return { page: 'program', id: m[1]! };
  if (/^\/dashboard\/?$/.test(pathname)) return { page: 'dashboard' };
  const contact = /^\/contacts\/([0-9a-f-]{36})\/?$/i.exec(pathname);
  if (contact) return { page: 'contact', id: contact[1]! };
  if (/^\/contacts\/?$/.test(pathname)) return { page: 'contacts' };
  const segment = /^\/segments\/([0-9a-f-]{36}|new)\/?$/i.exec(pathname);
  if (segment) return { page: 'segment', id: segment[1]! };
  if (/^\/segments\/?$/.test(pathname)) return { page: 'segments' };
  if (/^\/scoring\/?$/.test(pathname)) return { page: 'scoring' };
  const form = /^\/forms\/([0-9a-f-]{36}|new)\/?$/i.exec(pathname);
  if (form) return { page: 'form', id: form[1]! };
  if (/^\/forms\/?$/.test(pathname)) return { page: 'forms' };
  if (/^\/messages\/?$/.test(pathname)) return { page: 'messages' };
  // The website's content slots ("/website") and one slot's variants ("/website/:id", "/website/new").
  const slot = /^\/website\/([0-9a-f-]{36}|new)\/?$/i.exec(pathname);
  if (slot) return { page: 'content-slot', id: slot[1]! };
  if (/^\/website\/?$/.test(pathname)) return { page: 'website' };
  // Landing pages ("/landing-pages") and one page's variants, test and results ("/landing-pages/:id", "/landing-pages/new").
  const landing = /^\/landing-pages\/([0-9a-f-]{36}|new)\/?$/i.exec(pathname);
  if (landing) return { page: 'landing-page', id: landing[1]! };
  if (/^\/landing-pages\/?$/.test(pathname)) return { page: 'landing-pages' };
  if (/^\/team\/?$/.test(pathname)) return { page: 'team' };
  if (/^\/audit\/?$/.test(pathname)) return { page: 'audit' };
  if (/^\/settings\/?$/.test(pathname)) return { page: 'settings' };
  return { page: 'programs' };
}

/** The onClick of an in-app link: the editor moves to `path` without reloading the page. */
export const linkTo = (path: string) => (e: { preventDefault(): void }) => { e.preventDefault(); navigate(path); };

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
