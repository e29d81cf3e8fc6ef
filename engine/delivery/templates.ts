// Handlebars for messages: one environment with Tend's helpers, the built-in
// layouts, and partials from TEND_TEMPLATES_DIR (`name.hbs` → `{{> name}}`).
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

/** The helpers createRenderer registers (engine/delivery/template-check.ts checks templates against them). */
export const TEND_HELPERS = ['json', 'default', 'eq', 'gt', 'money', 'date', 'urlencode'] as const;

export type Renderer = (template: string, scope: Record<string, unknown>, options?: { escape?: boolean }) => string;

const DEFAULT_LAYOUT = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:system-ui,sans-serif;color:#1c1917">
<div style="max-width:600px;margin:0 auto;background:#fff;padding:24px;border-radius:8px">{{{body}}}</div>
</body></html>`;

/** A layout or partial as the Messages screen lists it. */
export interface TemplatePart { name: string; from: 'built in' | 'templates folder'; template: string }

/**
 * The layouts (`layout-<name>`, chosen by an email node's Layout) and other partials
 * this Tend renders with: the built-in ones, then the templates folder's `.hbs` files,
 * which may replace a built-in one of the same name (as createRenderer does).
 */
export function templateParts(templatesDir?: string): { layouts: TemplatePart[]; partials: TemplatePart[] } {
  const parts = new Map<string, TemplatePart>([
    ['layout-default', { name: 'layout-default', from: 'built in', template: DEFAULT_LAYOUT }],
    ['layout-plain', { name: 'layout-plain', from: 'built in', template: '{{{body}}}' }],
  ]);
  if (templatesDir && fs.existsSync(templatesDir)) {
    for (const file of fs.readdirSync(templatesDir).sort()) {
      if (file.endsWith('.hbs')) parts.set(path.basename(file, '.hbs'), { name: path.basename(file, '.hbs'), from: 'templates folder', template: fs.readFileSync(path.join(templatesDir, file), 'utf8') });
    }
  }
  const all = [...parts.values()];
  return {
    layouts: all.filter((p) => p.name.startsWith('layout-')).map((p) => ({ ...p, name: p.name.slice('layout-'.length) })),
    partials: all.filter((p) => !p.name.startsWith('layout-')),
  };
}

export function createRenderer(templatesDir?: string): Renderer {
  const hb = Handlebars.create();
  hb.registerPartial('layout-default', DEFAULT_LAYOUT);
  hb.registerPartial('layout-plain', '{{{body}}}');
  hb.registerHelper('json', (v: unknown) => new hb.SafeString(JSON.stringify(v ?? null)));
  hb.registerHelper('default', (v: unknown, d: unknown) => (v === undefined || v === null || v === '' ? d : v));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // For values put into URLs (connected content, links): "a+b@x.com" → "a%2Bb%40x.com".
  hb.registerHelper('urlencode', (v: unknown) => (v === undefined || v === null ? '' : encodeURIComponent(String(v))));
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('money', (v: unknown, currency: unknown) => {
    const n = Number(v);
    if (Number.isNaN(n)) return '';
    return new Intl.NumberFormat('en', { style: 'currency', currency: typeof currency === 'string' ? currency : 'USD' }).format(n);
  });
  hb.registerHelper('date', (v: unknown) => {
    const d = new Date(String(v));
    return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
  });
  // One list of Tend's helpers: the check of templates reads TEND_HELPERS.
  for (const name of TEND_HELPERS) if (!hb.helpers[name]) throw new Error(`helper ${name} is listed but not registered`);
  if (templatesDir && fs.existsSync(templatesDir)) {
    for (const file of fs.readdirSync(templatesDir)) {
      if (file.endsWith('.hbs')) hb.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(templatesDir, file), 'utf8'));
    }
  }
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  return (template, scope, options) => {
    const key = (options?.escape === false ? 'raw:' : 'html:') + template;
    let compiled = cache.get(key);
    if (!compiled) {
      if (cache.size > 2000) cache.clear();
      compiled = hb.compile(separateClosingBraces(template), { noEscape: options?.escape === false, strict: false });
      cache.set(key, compiled);
    }
    return compiled(scope, { allowProtoPropertiesByDefault: false });
  };
}

/**
 * `{{x}}}` — a value at the end of a JSON object, as in a webhook body
 * `{"score":{{contact.score}}}` — reads to Handlebars as the end of a `{{{triple}}}`
 * and fails to parse. A space between the mustache and the brace keeps the meaning (JSON
 * ignores it) and parses, so templates are read through this everywhere.
 *
 *   separateClosingBraces('{"a":{{x}}}') // '{"a":{{x}} }'
 */
export function separateClosingBraces(template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) break;
    const triple = template[open + 2] === '{';
    const close = template.indexOf(triple ? '}}}' : '}}', open + (triple ? 3 : 2));
    if (close < 0) break;
    const end = close + (triple ? 3 : 2);
    out += template.slice(i, end) + (!triple && template[end] === '}' ? ' ' : '');
    i = end;
  }
  return out + template.slice(i);
}

/** What is wrong with a template's syntax, in Handlebars' words, or undefined. */
export function templateSyntaxProblem(template: string): string | undefined {
  try {
    Handlebars.parse(separateClosingBraces(template));
    return undefined;
  } catch (err) {
    const message = (err as Error).message.split('\n');
    // "Parse error on line 1:", the excerpt, the caret, "Expecting …": keep the first and last.
    const hint = /\}\}\}/.test(template) ? ' (to close a {{…}} right before a "}", put a space between them)' : '';
    return `template syntax: ${[message[0], message.at(-1)].filter(Boolean).join(' ')}${hint}`;
  }
}

/**
 * Every string in `value` whose schema says `format: "template"`, with its JSON
 * Pointer, so validation can report template syntax errors on the exact field.
 */
export function* templateFields(schema: unknown, value: unknown, path = ''): Generator<{ path: string; template: string }> {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (typeof value === 'string') {
    if (s.format === 'template') yield { path, template: value };
    return;
  }
  for (const alt of [...((s.anyOf as unknown[]) ?? []), ...((s.oneOf as unknown[]) ?? []), ...((s.allOf as unknown[]) ?? [])]) yield* templateFields(alt, value, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) if (s.items) yield* templateFields(s.items, item, `${path}/${i}`);
    return;
  }
  if (value && typeof value === 'object') {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) {
      const escaped = k.replace(/~/g, '~0').replace(/\//g, '~1');
      const sub = props[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined) ?? Object.values((s.patternProperties ?? {}) as Record<string, unknown>)[0];
      if (sub) yield* templateFields(sub, v, `${path}/${escaped}`);
    }
  }
}
