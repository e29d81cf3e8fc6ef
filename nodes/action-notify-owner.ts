// tend.action.notify-owner: hands a contact to a person. The owner is read from a
// contact attribute or, when there is none yet, assigned round-robin from a list and
// stored on the contact; then the owner is emailed, or a task is posted to a CRM.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, ATTRIBUTE_NAME_PATTERN } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.action.notify-owner',
  version: 1,
  category: 'action',
  title: 'Notify owner / create task',
  description: 'Emails the contact’s owner (a salesperson) or posts a task to a CRM webhook; assigns an owner round-robin when the contact has none.',
  summary: 'Notify owner by {{channel}}',
  configSchema: Type.Object(
    {
      ownerField: Type.Optional(Type.String({ pattern: ATTRIBUTE_NAME_PATTERN, title: 'Owner attribute', description: 'The contact attribute holding the owner’s email address', default: 'owner' })),
      owners: Type.Optional(Type.Array(Type.String({ format: 'email' }), { title: 'Round-robin owners', description: 'Assigned in turn to contacts without an owner', maxItems: 200, uniqueItems: true })),
      channel: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('webhook')], { title: 'Notify by', default: 'email' })),
      subject: Type.String({ minLength: 1, maxLength: 500, format: 'template', title: 'Subject / task title', default: 'New lead: {{contact.email}}' }),
      html: Type.Optional(Type.String({ maxLength: 100000, format: 'template', title: 'Email body', description: 'For channel email' })),
      url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', title: 'CRM webhook URL', description: 'For channel webhook: receives the task as JSON' })),
    },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'next', label: 'Notified' },
    { name: 'no_owner', label: 'No owner' },
  ],
  check: (config) => (config.channel === 'webhook' && !config.url ? [{ path: '/url', message: 'a CRM webhook URL is needed to notify by webhook' }] : []),
  run: async (ctx) => {
    const { ownerField = 'owner', owners = [], channel = 'email', subject, html, url } = ctx.config;
    let owner = typeof ctx.contact.attributes[ownerField] === 'string' ? (ctx.contact.attributes[ownerField] as string) : undefined;
    if (!owner && owners.length > 0) {
      const turn = await ctx.effects.sequence(`owner-rotation:${ctx.program.id}:${ctx.node.id}`);
      owner = owners[(turn - 1) % owners.length]!;
      await ctx.effects.updateContact([{ op: 'set', field: ownerField, value: owner }]);
    }
    if (!owner) return directive.next('no_owner');

    const title = ctx.render(subject, { owner }, { escape: false });
    if (channel === 'email') {
      const body = ctx.render(html ?? '<p>{{contact.email}} is ready for you (score {{contact.score}}).</p>', { owner });
      const result = await ctx.effects.sendEmail({ to: owner, subject: title, html: body, text: title, marketing: false });
      if (result.status !== 'sent') ctx.log.warn('owner notification not sent', { status: result.status });
      return directive.next();
    }
    const res = await ctx.effects.http({
      method: 'POST',
      url: url!,
      headers: { 'content-type': 'application/json', 'Idempotency-Key': ctx.idempotencyKey },
      body: JSON.stringify({
        type: 'task',
        title,
        owner,
        contact: { id: ctx.contact.id, email: ctx.contact.email, phone: ctx.contact.phone, score: ctx.contact.score, tags: ctx.contact.tags, attributes: ctx.contact.attributes },
        program: ctx.program,
        node: ctx.node.id,
        event: ctx.event,
      }),
    });
    if (res.status >= 500 || res.status === 429) throw new Error(`CRM answered ${res.status}`);
    if (res.status >= 400) ctx.log.error('CRM refused the task', { status: res.status, body: res.body.slice(0, 200) });
    return directive.next();
  },
});
