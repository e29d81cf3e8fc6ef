// Every Express router of Tend is made here, case-sensitive: the scope rules in
// server/scopes.ts name paths exactly, so routing must not reach `/keys` by `/KEYS`
// (Express matches paths case-insensitively unless told otherwise).
import { Router, type RouterOptions } from 'express';

/** A case-sensitive Router; pass `mergeParams` and the like as usual. */
export function router(options: RouterOptions = {}): Router {
  return Router({ caseSensitive: true, ...options });
}
