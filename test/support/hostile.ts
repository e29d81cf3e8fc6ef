// A seeded generator of hostile request bodies: malformed JSON, wrong types, huge
// strings, deep nesting, unicode edge cases, SQL and Handlebars injection, prototype
// keys. Every body it makes is invalid for every Tend endpoint: objects always carry
// at least one key no schema declares, so a 2xx means something was let through.
import type { Rand } from './seeded.js';

export const hostileStrings: readonly string[] = [
  '',
  ' ',
  "' OR '1'='1",
  "'; DROP TABLE contacts; --",
  '" OR 1=1 --',
  '1; SELECT pg_sleep(10)',
  '$1',
  '{{constructor.constructor "return process"}}',
  "{{#with (lookup this 'constructor')}}{{this}}{{/with}}",
  '{{> ../../../../etc/passwd}}',
  '{{{__proto__}}}',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d\ude00\ud83d', // an emoji, then half of one
  '\u202eevil\u202c', // right-to-left override
  '\u05e9\u05dc\u05d5\u05dd',
  '\ufeff',
  '\u2028\u2029',
  '👩‍👩‍👧‍👦',
  'e\u0301'.repeat(50),
  '../../../../etc/passwd',
  '%00',
  '\\',
  'x'.repeat(70_000),
  '9'.repeat(400),
  'NaN',
  '-0',
  '1e999',
  '2026-02-30T25:61:00Z',
  '__proto__',
  'constructor',
];

const hostileKeys = ['__proto__', 'constructor', 'prototype', '$where', "'; --", '\u0000', '\ud800', '', 'a'.repeat(5000), 'toString', '👩‍👩‍👧‍👦', 'unknownField'];

/** A hostile JSON value of any type, nested at most `depth` levels. */
export function hostileValue(rand: Rand, depth = 3): unknown {
  switch (rand.int(depth > 0 ? 9 : 6)) {
    case 0: return rand.pick(hostileStrings);
    case 1: return rand.pick([0, -1, 1.5, -1e308, 2 ** 53 + 1, 1e21, -0]);
    case 2: return rand.pick([true, false, null]);
    case 3: return rand.pick(hostileStrings) + rand.pick(hostileStrings);
    case 4: return rand.int(10);
    case 5: return rand.pick(hostileStrings);
    case 6: return Array.from({ length: rand.int(4) }, () => hostileValue(rand, depth - 1));
    default: return hostileObject(rand, depth - 1);
  }
}

/** An object with at least one key no schema declares, and hostile values. */
export function hostileObject(rand: Rand, depth = 3): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + rand.int(4);
  // defineProperty, not assignment: "__proto__" becomes an own key, as JSON.parse makes it from the wire.
  const put = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (let i = 0; i < n; i++) put(rand.pick(hostileKeys), hostileValue(rand, depth));
  put(`zz_${rand.int(1000)}`, hostileValue(rand, 0));
  return out;
}

/**
 * A request body as raw text: mostly JSON built from hostile parts, sometimes
 * broken JSON, a scalar or array at the top, or nesting far past any limit. When
 * `known` is given, its fields are kept and one of them is replaced or one added, so
 * the body gets past the first checks.
 */
export function hostileBody(rand: Rand, known?: Record<string, unknown>): string {
  const kind = rand.int(10);
  if (kind === 0) return rand.pick(['{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', 'nul', '\ufeff{"zz":1}', '{"a":"\\x41"}', '{"a":"\\ud800"}', '{"\\u0000":1}', '[' + ']'.repeat(3)]);
  if (kind === 1) return JSON.stringify(hostileValue(rand, 0));
  if (kind === 2) return JSON.stringify(Array.from({ length: 1 + rand.int(3) }, () => hostileValue(rand, 1)));
  if (kind === 3) { const d = 65 + rand.int(5000); return '{"a":'.repeat(d) + '1' + '}'.repeat(d); }
  if (kind === 4) { const d = 65 + rand.int(5000); return '['.repeat(d) + ']'.repeat(d); }
  if (known && kind < 8) {
    const body = JSON.parse(JSON.stringify(known)) as Record<string, unknown>;
    const keys = Object.keys(body);
    // Keep the body valid but for one field with a wrong type, or one unknown field.
    const key = keys.length && rand.chance(0.5) ? rand.pick(keys) : undefined;
    if (key) body[key] = wrongType(rand, body[key]);
    else body[`zz_${rand.pick(hostileKeys)}`] = hostileValue(rand);
    return JSON.stringify(body);
  }
  return JSON.stringify(hostileObject(rand));
}

/** A value of another JSON type than `v` (so a schema that takes `v` refuses it). */
function wrongType(rand: Rand, v: unknown): unknown {
  const options: unknown[] = [123, true, null, ['x'], { a: rand.pick(hostileStrings) }, rand.pick(hostileStrings)];
  const typeOf = (x: unknown) => (Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x);
  return rand.pick(options.filter((o) => typeOf(o) !== typeOf(v)));
}
