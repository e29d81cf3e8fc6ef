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
    options?: { cause?: unknown },
  ) {
    super(errors.length ? `${title}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : title, options);
    this.name = 'HttpProblem';
  }
}

export { NotRetryableError, RetryAfterError } from './plugin.js';
