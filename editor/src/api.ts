// The editor talks to Tend only through its public HTTP API, as a signed-in person (the
// session cookie, HttpOnly, and with every change the session's CSRF token, kept in
// memory only) or with an API key, kept in sessionStorage only (gone when the tab
// closes; never in localStorage or a cookie). A 401 signs the user out; a 403 (a viewer
// or a read key trying to change something) is shown like any other problem.
import type { FlowDocument, NodeType } from './model/catalogue.js';
import type { Problem } from './model/problems.js';
import type { NodeCounts } from './model/mapping.js';

const KEY = 'tend.apiKey';

export interface Person { id: string; email: string; name: string; role: 'owner' | 'admin' | 'marketer' | 'viewer' }
/** What a caller may do: the server's permission table (server/scopes.ts), sent with the session. */
export type Permission = 'read' | 'export' | 'write' | 'settings' | 'admin';
interface PersonSession { user: Person; csrfToken: string; permissions: Permission[] }
let person: PersonSession | null = null;

export const session = {
  key: () => sessionStorage.getItem(KEY),
  /** The signed-in person, when signed in with a password rather than a key. */
  person: () => person?.user ?? null,
  signIn: (key: string) => sessionStorage.setItem(KEY, key),
  signedInAs: (p: PersonSession) => { person = p; },
  /**
   * Whether the signed-in person may do this, so the screens offer only what they may.
   * A key's scope is not known here: it is offered everything, and the API says no.
   */
  may: (p: Permission) => (person ? person.permissions.includes(p) : true),
  /** The sign-in page shows once the server has ended the session (a link clicked at once must not find it alive). */
  signOut: async () => {
    const ending = person ? fetch('/api/auth/sign-out', { method: 'POST' }).catch(() => undefined) : undefined;
    person = null;
    sessionStorage.removeItem(KEY);
    await ending;
    window.dispatchEvent(new Event('tend:signed-out'));
  },
};

/** How this tab proves who it is: the key, or the session's CSRF token (the cookie goes by itself). */
const credentials = (key: string | null): Record<string, string> =>
  key ? { authorization: `Bearer ${key}` } : person ? { 'x-csrf-token': person.csrfToken } : {};

/** Who is signed in in this browser (by cookie), if anyone. */
export async function whoIsSignedIn(): Promise<PersonSession | null> {
  const res = await fetch('/api/auth/session');
  if (!res.ok) return null;
  const body = await res.json() as { user: Person | null; csrfToken: string | null; permissions: Permission[] };
  return body.user && body.csrfToken ? { user: body.user, csrfToken: body.csrfToken, permissions: body.permissions } : null;
}

/** The /api/auth calls that sign a person in (sign-in, owner set-up, accepting an invitation, a new password). */
export async function signInAs(path: '/api/auth/sign-in' | '/api/auth/setup' | '/api/auth/accept-invitation' | '/api/auth/reset-password', body: Record<string, string>): Promise<void> {
  const made = await api<PersonSession>('POST', path, body, null);
  session.signedInAs(made);
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly problems: Problem[], readonly extensions: Record<string, unknown> = {}) {
    super(problems.length ? `${title}: ${problems.map((p) => p.message).join('; ')}` : title);
  }
}

/**
 * What went wrong, in words for the screen: each problem's message (with the field it
 * names when `paths`), or the answer's title; for anything else, the error's message.
 */
export function problemText(err: unknown, { paths = false } = {}): string {
  if (!(err instanceof ApiError)) return (err as Error).message;
  return err.problems.map((p) => (paths && p.path ? `${p.path}: ${p.message}` : p.message)).join('; ') || err.title;
}

export async function api<T>(method: string, path: string, body?: unknown, key = session.key(), headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { ...credentials(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && key === session.key() && (key || person) && !path.startsWith('/api/auth/')) void session.signOut();
    const { type: _t, title, status: _s, errors, ...extensions } = parsed ?? {};
    throw new ApiError(res.status, title ?? res.statusText, errors ?? [], extensions);
  }
  return parsed as T;
}

/** Fetches a file from the API (which needs the key or the session, so a plain link will not do) and saves it. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { headers: credentials(session.key()) });
  if (!res.ok) throw new ApiError(res.status, res.statusText, []);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export type ProgramStatus = 'draft' | 'live' | 'paused' | 'archived';

export interface ProgramSummary {
  id: string;
  name: string;
  description: string;
  status: ProgramStatus;
  liveVersion: number | null;
  activeContacts: number;
  createdAt: string;
  updatedAt: string;
}

export interface VersionInfo {
  version: number;
  publishedAt: string;
  activeContacts: number;
  totalContacts: number;
}

export interface ProgramDetail {
  id: string;
  name: string;
  description: string;
  status: ProgramStatus;
  liveVersion: number | null;
  /** The draft's revision: saves name it, and are refused (409) when another save came first. */
  revision: number;
  createdAt: string;
  updatedAt: string;
  draft: FlowDocument;
  problems: Problem[];
  versions: VersionInfo[];
}

export interface ProgramStats {
  id: string;
  version: number | null;
  enrollments: Record<string, number>;
  nodes: Record<string, NodeCounts>;
  edges: Record<string, { count: number; share: number }>;
}

export interface Enrollment {
  id: string;
  contactId: string;
  email: string | null;
  externalId: string | null;
  version: number;
  key: string;
  node: string;
  enteredAt: string;
  wakeAt: string | null;
}

export interface Contact {
  id: string;
  email: string | null;
  externalId: string | null;
  phone?: string | null;
  attributes: Record<string, unknown>;
  score: number;
  tags: string[];
  consent?: Record<string, unknown>;
  unsubscribed?: boolean;
  timezone?: string | null;
  createdAt?: string;
  /** Keys of the segments the contact is in. */
  segments?: string[];
}

export interface TimelineEntry {
  kind: 'event' | 'node' | 'message';
  at: string;
  [key: string]: unknown;
}

export interface Template {
  file: string;
  name: string;
  description: string;
  nodes: number;
  document: FlowDocument;
}

export const nodeTypes = () => api<{ nodeTypes: NodeType[] }>('GET', '/api/node-types').then((r) => r.nodeTypes);

export interface ProgramComment {
  id: string;
  programId: string;
  nodeId: string | null;
  threadId: string | null;
  author: { kind: 'user' | 'key'; id: string | null; name: string };
  body: string;
  mentions: { id: string; name: string }[];
  createdAt: string;
  deletedAt: string | null;
}

export interface CommentsAnswer { comments: ProgramComment[]; mentionable: { id: string; name: string }[] }
