// tend.action.email: renders a Handlebars message for the contact and sends it once.
// Opt-outs, the unsubscribe link and List-Unsubscribe headers are the engine's job.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, knownPartials, TOPIC_KEY_PATTERN } from '../engine/plugin.js';

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
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  check: (config) => {
    const partials = knownPartials();
    if (!config.layout || config.layout === 'none' || partials.has(`layout-${config.layout}`)) return [];
    const layouts = [...partials].filter((p) => p.startsWith('layout-')).map((p) => p.slice('layout-'.length));
    return [{ path: '/layout', message: `there is no layout "${config.layout}" (layouts: ${layouts.join(', ')}, or none)` }];
  },
  run: async (ctx) => {
    const { subject, html, text, marketing = true, replyTo, layout = 'default', whenCapped = 'skip', topic } = ctx.config;
    const renderedHtml = ctx.render(html);
    const body = layout && layout !== 'none' ? ctx.render(`{{> layout-${layout} }}`, { body: renderedHtml }) : renderedHtml;
    const result = await ctx.effects.sendEmail({
      // Subject and text are not HTML: escaping would show "&amp;" to the reader.
      subject: ctx.render(subject, {}, { escape: false }),
      html: body,
      text: text ? ctx.render(text, {}, { escape: false }) : htmlToText(renderedHtml),
      marketing,
      whenCapped,
      replyTo,
      ...(topic ? { topic } : {}),
    });
    if (result.status === 'deferred') return directive.again(new Date(result.until), result.reason);
    if (result.status === 'skipped') ctx.log.info('email skipped', { reason: result.reason });
    return directive.next();
  },
});

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li)\s*\/?>/gi, '\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, '$2 ($1)')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
