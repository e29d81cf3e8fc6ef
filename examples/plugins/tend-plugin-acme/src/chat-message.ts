// acme.chat.message: posts a line to a team chat through an incoming-webhook URL
// (Slack, Mattermost, Teams and most others accept `{ "text": … }`).
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, NotRetryableError } from 'tend/plugin';

export default definePlugin({
  id: 'acme.chat.message',
  version: 1,
  category: 'action',
  title: 'Post to chat',
  description: 'Posts a message to a chat channel through an incoming webhook (set TEND_SECRET_ACME_CHAT_WEBHOOK).',
  summary: 'Post to {{channel}}: “{{text}}”',
  configSchema: Type.Object(
    {
      channel: Type.String({ pattern: '^#[a-z0-9_-]{1,80}$', title: 'Channel', default: '#sales' }),
      text: Type.String({ minLength: 1, maxLength: 4000, format: 'template', title: 'Message', default: '{{contact.email}} needs a look' }),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Posted' }],
  run: async (ctx) => {
    const url = ctx.secrets.ACME_CHAT_WEBHOOK;
    if (!url) throw new NotRetryableError('set TEND_SECRET_ACME_CHAT_WEBHOOK');
    const res = await ctx.effects.http({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
      body: JSON.stringify({ channel: ctx.config.channel, text: ctx.render(ctx.config.text, {}, { escape: false }) }),
    });
    // A chat message is a courtesy: a refused one is logged, the contact goes on.
    if (res.status >= 500) throw new Error(`chat webhook answered ${res.status}`);
    if (res.status >= 400) ctx.log.warn('chat webhook refused the message', { status: res.status });
    return directive.next();
  },
});
