// tend.action.email: renders a Handlebars message for the contact and sends it once.
// Opt-outs, the unsubscribe link and List-Unsubscribe headers are the engine's job.
// Connected content: JSON fetched at send time (`connected`), in the templates as
// {{connected.<name>…}}, its fallback when the fetch fails; recorded on the message.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, knownPartials, DURATION_PATTERN, TOPIC_KEY_PATTERN, type ConnectedRecord } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.action.email',
  version: 1,
  category: 'action',
  title: 'Send email',
  description: 'Sends an email rendered from Handlebars templates with the contact, event and program in scope.',
  summary: '“{{subject}}”',
  configSchema: Type.Object(
    {
      subject: Type.String({ minLength: 1, maxLength: 500, format: 'template', title: 'Subject' }),
      html: Type.String({ minLength: 1, maxLength: 200000, format: 'template', title: 'HTML body' }),
      text: Type.Optional(Type.String({ maxLength: 100000, format: 'template', title: 'Text body', description: 'Derived from the HTML when empty' })),
      layout: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$', title: 'Layout', default: 'default' })),
      marketing: Type.Optional(Type.Boolean({ title: 'Marketing email', description: 'Marketing mail honours opt-outs and carries an unsubscribe link', default: true })),
      topic: Type.Optional(Type.String({ pattern: TOPIC_KEY_PATTERN, title: 'Topic', description: 'Subscription topic (from /api/topics): contacts who left it on the preference page are skipped' })),
      replyTo: Type.Optional(Type.String({ format: 'email', title: 'Reply-to' })),
      whenCapped: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('defer'), Type.Literal('send')], {
        title: 'When over the frequency cap',
        description: 'skip: do not send (recorded); defer: send once the cap allows; send: send anyway',
        default: 'skip',
      })),
      connected: Type.Optional(Type.Array(Type.Object(
        {
          name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,39}$', title: 'Name', description: 'In the templates: {{connected.name.…}}' }),
          url: Type.String({ minLength: 1, maxLength: 2000, format: 'template', title: 'URL', description: 'https://…; put contact data in with {{urlencode contact.email}}' }),
          ttl: Type.Optional(Type.String({ pattern: DURATION_PATTERN, title: 'Keep answers for', description: 'Per URL, e.g. "10 minutes"; fetched for every email when empty' })),
          fallback: Type.Optional(Type.String({ maxLength: 10000, title: 'Fallback (JSON)', description: 'Used when the fetch fails or times out' })),
        },
        { additionalProperties: false },
      ), { maxItems: 3, title: 'Connected content', description: 'JSON fetched when the email is sent' })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  check: (config) => {
    const problems: { path: string; message: string }[] = [];
    const connected: { name: string; url: string; fallback?: string }[] = config.connected ?? [];
    connected.forEach((c, i) => {
      if (c.fallback !== undefined && !isJson(c.fallback)) problems.push({ path: `/connected/${i}/fallback`, message: 'the fallback must be JSON, e.g. {"items": []}' });
      if (!/^https?:\/\//.test(c.url)) problems.push({ path: `/connected/${i}/url`, message: 'the URL must start with https:// (or http://)' });
    });
    if (new Set(connected.map((c) => c.name)).size !== connected.length) problems.push({ path: '/connected', message: 'two connected contents have the same name' });
    const partials = knownPartials();
    if (!config.layout || config.layout === 'none' || partials.has(`layout-${config.layout}`)) return problems;
    const layouts = [...partials].filter((p) => p.startsWith('layout-')).map((p) => p.slice('layout-'.length));
    return [...problems, { path: '/layout', message: `there is no layout "${config.layout}" (layouts: ${layouts.join(', ')}, or none)` }];
  },
  run: async (ctx) => {
    const { subject, html, text, marketing = true, replyTo, layout = 'default', whenCapped = 'skip', topic } = ctx.config;
    const connected: Record<string, unknown> = {};
    const fetched: ConnectedRecord[] = [];
    for (const c of ctx.config.connected ?? []) {
      const url = ctx.render(c.url, {}, { escape: false });
      const answer = await ctx.fetchJson(url, { ttl: c.ttl });
      connected[c.name] = answer.ok ? answer.data : c.fallback === undefined ? null : JSON.parse(c.fallback);
      fetched.push(answer.ok ? { name: c.name, url, status: answer.cached ? 'cached' : 'fetched' } : { name: c.name, url, status: 'failed', reason: answer.reason });
    }
    const extra = fetched.length ? { connected } : {};
    const renderedHtml = ctx.render(html, extra);
    const body = layout && layout !== 'none' ? ctx.render(`{{> layout-${layout} }}`, { ...extra, body: renderedHtml }) : renderedHtml;
    const result = await ctx.effects.sendEmail({
      // Subject and text are not HTML: escaping would show "&amp;" to the reader.
      subject: ctx.render(subject, extra, { escape: false }),
      html: body,
      text: text ? ctx.render(text, extra, { escape: false }) : htmlToText(renderedHtml),
      marketing,
      whenCapped,
      replyTo,
      ...(topic ? { topic } : {}),
      ...(fetched.length ? { connected: fetched } : {}),
    });
    if (result.status === 'deferred') return directive.again(new Date(result.until), result.reason);
    if (result.status === 'skipped') ctx.log.info('email skipped', { reason: result.reason });
    return directive.next();
  },
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li)\s*\/?>/gi, '\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, '$2 ($1)')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
