// Handlebars for messages: one environment with Tend's helpers, the built-in
// layouts, and partials from TEND_TEMPLATES_DIR (`name.hbs` → `{{> name}}`).
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

export type Renderer = (template: string, scope: Record<string, unknown>, options?: { escape?: boolean }) => string;

const DEFAULT_LAYOUT = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:system-ui,sans-serif;color:#1c1917">
<div style="max-width:600px;margin:0 auto;background:#fff;padding:24px;border-radius:8px">{{{body}}}</div>
</body></html>`;

export function createRenderer(templatesDir?: string): Renderer {
  const hb = Handlebars.create();
  hb.registerPartial('layout-default', DEFAULT_LAYOUT);
  hb.registerPartial('layout-plain', '{{{body}}}');
  hb.registerHelper('json', (v: unknown) => new hb.SafeString(JSON.stringify(v ?? null)));
  hb.registerHelper('default', (v: unknown, d: unknown) => (v === undefined || v === null || v === '' ? d : v));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
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
      compiled = hb.compile(template, { noEscape: options?.escape === false, strict: false });
      cache.set(key, compiled);
    }
    return compiled(scope, { allowProtoPropertiesByDefault: false });
  };
}
