// An HTTP problem (RFC 9457): the status, a title and the fields at fault. Thrown by
// routes and middleware; server/problem.ts writes it as problem+json. The engine never
// throws one: it throws EngineProblem (engine/ops/errors.ts), mapped to a status there.
import type { FieldError } from '../engine/ops/errors.js';

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
