// An audit entry's action (`POST /api/flows/:id/publish`, as the server records it) in
// plain words for the audit screen: "published a program". Unknown actions fall back to
// the method and path, so a new route shows something true before it has words here.

const THINGS: Record<string, string> = {
  flows: 'program', segments: 'segment', 'scoring-rules': 'scoring rule', forms: 'form', keys: 'API key', 'site-keys': 'site key',
  users: 'person', 'messaging-policy': 'messaging policy', 'rfm-settings': 'RFM settings', 'predictive-score': 'predictive score',
  topics: 'topic', contacts: 'contact',
};

/** Actions on a thing, by the last path segment after its id (or after the mount). */
const DOINGS: Record<string, string> = {
  publish: 'published', archive: 'archived', duplicate: 'duplicated', pause: 'paused', resume: 'resumed', erase: 'erased',
  export: 'exported the personal data of', 'sign-out': 'signed out everywhere',
};

export function actionInWords(action: string): string {
  const m = /^(GET|POST|PUT|PATCH|DELETE) \/api\/([a-z-]+)(\/:id|\/[^/]+)?(?:\/([a-z-]+))?$/.exec(action);
  if (!m) return action;
  const [, method, mount, id, tail] = m;
  const thing = THINGS[mount!] ?? mount!;
  const a = /^[aeiou]/i.test(thing) && thing !== 'RFM settings' ? 'an' : 'a';
  const one = thing.endsWith('settings') || thing.endsWith('policy') || thing === 'predictive score' ? `the ${thing}` : `${a} ${thing}`;
  if (mount === 'users' && id === '/invitations') return 'invited a person';
  if (mount === 'flows' && id === '/import') return 'imported a program';
  if (tail && DOINGS[tail]) return tail === 'sign-out' ? `signed ${one} out everywhere` : `${DOINGS[tail]} ${one}`;
  if (tail) return `${method} ${tail} on ${one}`;
  if (method === 'POST') return id && id !== '/:id' ? `${method} ${action.slice(4)}` : `created ${one}`;
  if (method === 'DELETE') return thing === 'contact' ? 'erased a contact' : `deleted ${one}`;
  if (method === 'PUT' || method === 'PATCH') return mount === 'flows' ? `saved ${one}` : `changed ${one}`;
  return action;
}
