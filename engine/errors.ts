// The few error types Tend raises on purpose. HTTP errors become problem+json in one
// middleware (server/problem.ts); node errors map to Temporal failures in one place
// (temporal/activities.ts).
export interface FieldError {
  path: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly errors: FieldError[] = [],
    readonly options: { cause?: unknown; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(errors.length ? `${title}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : title, { cause: options.cause });
    this.name = 'HttpProblem';
  }

  /** Response headers that go with the problem (Retry-After, WWW-Authenticate). */
  get headers(): Record<string, string> { return this.options.headers ?? {}; }
  /** Extra problem members, e.g. `requiredScope`. */
  get extensions(): Record<string, unknown> { return this.options.extensions ?? {}; }
}

export { NotRetryableError, RetryAfterError } from './plugin.js';
