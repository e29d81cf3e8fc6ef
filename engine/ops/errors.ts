// The few error types Tend raises on purpose. Engine problems become problem+json in
// one middleware (server/problem.ts); node errors map to Temporal failures in one place
// (run/activities.ts).
export interface FieldError {
  path: string;
  message: string;
}

/** What went wrong, in the engine's words; server/problem.ts gives each its HTTP status. */
export type ProblemKind = 'not-found' | 'conflict' | 'invalid' | 'unavailable';

/**
 * The engine's one error vocabulary for a request it cannot carry out: a contact that
 * does not exist, an identity that belongs to someone else, input it cannot use, a
 * service it needs that did not answer; with the fields at fault.
 */
export class EngineProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly title: string,
    readonly errors: FieldError[] = [],
    options: { cause?: unknown } = {},
  ) {
    super(errors.length ? `${title}: ${errors.map((x) => `${x.path} ${x.message}`).join('; ')}` : title, { cause: options.cause });
    this.name = 'EngineProblem';
  }
}

export { NotRetryableError, RetryAfterError } from '../plugin/index.js';
