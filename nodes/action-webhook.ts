// tend.action.webhook: calls an HTTP endpoint once per visit (Idempotency-Key header),
// retrying 5xx and network errors with backoff, never 4xx or a refused (private)
// target; maps response fields onto the contact; leaves by `error` when the call
// finally fails.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, NotRetryableError, RetryAfterError, ATTRIBUTE_NAME_PATTERN, readPath } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.action.webhook',
  version: 1,
  category: 'action',
  title: 'Webhook',
  description: 'Calls an HTTP endpoint with a templated JSON body.',
  summary: '{{method}} {{url}}',
  configSchema: Type.Object(
    {
      method: Type.Union([Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH'), Type.Literal('GET'), Type.Literal('DELETE')], { title: 'Method', default: 'POST' }),
      url: Type.String({ pattern: '^https?://', maxLength: 2000, format: 'template', title: 'URL' }),
      headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 2000 }), { title: 'Headers', additionalProperties: false })),
      body: Type.Optional(Type.String({ maxLength: 100000, format: 'template', title: 'JSON body', description: 'A Handlebars template that renders to JSON' })),
      maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, title: 'Attempts', default: 5 })),
      retryDelaySeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 3600, title: 'First retry after (s)', default: 5 })),
      responseMapping: Type.Optional(Type.Array(
        Type.Object({
          from: Type.String({ pattern: '^(body|status)(\\.[A-Za-z0-9_$-]+)*$', description: 'e.g. body.customer.id' }),
          to: Type.String({ pattern: ATTRIBUTE_NAME_PATTERN, description: 'Contact attribute' }),
        }, { additionalProperties: false }),
        { maxItems: 50, title: 'Response to contact' },
      )),
    },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'next', label: 'Success' },
    { name: 'error', label: 'Error' },
  ],
  check: (config) => {
    if (!config.body || config.body.includes('{{')) return [];
    try { JSON.parse(config.body); return []; } catch { return [{ path: '/body', message: 'is not valid JSON' }]; }
  },
  run: async (ctx) => {
    const { method, url, headers = {}, body, maxAttempts = 5, retryDelaySeconds = 5, responseMapping = [] } = ctx.config;
    const renderedBody = body ? ctx.render(body, undefined, { escape: false }) : undefined;
    if (renderedBody !== undefined) {
      try { JSON.parse(renderedBody); } catch {
        ctx.log.error('webhook body did not render to JSON', { body: renderedBody.slice(0, 200) });
        return directive.next('error');
      }
    }
    let res;
    try {
      res = await ctx.effects.http({
        method,
        url: ctx.render(url, undefined, { escape: false }),
        headers: { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, ctx.render(v, undefined, { escape: false })])), 'idempotency-key': ctx.idempotencyKey },
        body: method === 'GET' ? undefined : renderedBody,
      });
    } catch (err) {
      // A refused target (private address, see engine/delivery/outbound.ts) is final: the
      // engine sends the contact by the error port with the reason.
      if (err instanceof NotRetryableError) throw err;
      if (ctx.attempt >= maxAttempts) return directive.next('error');
      throw new RetryAfterError(`webhook network error: ${(err as Error).message}`, backoff(retryDelaySeconds, ctx.attempt), { cause: err });
    }
    if (res.status >= 500 || res.status === 429) {
      if (ctx.attempt >= maxAttempts) return directive.next('error');
      throw new RetryAfterError(`webhook answered ${res.status}`, backoff(retryDelaySeconds, ctx.attempt));
    }
    if (res.status >= 400) return directive.next('error');
    if (responseMapping.length) {
      let parsed: unknown = res.body;
      try { parsed = JSON.parse(res.body); } catch { /* not JSON: only status can be mapped */ }
      const scope = { status: res.status, body: parsed };
      const ops = responseMapping
        .map((m) => ({ op: 'set' as const, field: m.to, value: readPath(scope, m.from) }))
        .filter((o) => o.value !== undefined);
      if (ops.length) await ctx.effects.updateContact(ops);
    }
    return directive.next();
  },
});

function backoff(firstSeconds: number, attempt: number): number {
  return Math.min(firstSeconds * 1000 * 2 ** (attempt - 1), 3_600_000);
}
