// acme.crm.task: creates a follow-up task for a salesperson in the Acme CRM over its
// HTTP API, and keeps the task's id on the contact. Version 2 replaced v1's `subject`
// and `urgent` with `title` and `priority`; the migration below carries old programs over.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, NotRetryableError, RetryAfterError } from 'tend/plugin';

export default definePlugin({
  id: 'acme.crm.task',
  version: 2,
  category: 'action',
  title: 'Create CRM task',
  description: 'Creates a task in the Acme CRM for the contact (set TEND_SECRET_ACME_CRM_URL and TEND_SECRET_ACME_CRM_TOKEN).',
  summary: 'Task “{{title}}” ({{priority}})',
  configSchema: Type.Object(
    {
      title: Type.String({ minLength: 1, maxLength: 200, format: 'template', title: 'Task title', default: 'Call {{contact.email}}' }),
      priority: Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high')], { title: 'Priority', default: 'normal' }),
      dueInDays: Type.Integer({ minimum: 0, maximum: 365, title: 'Due in (days)', default: 2 }),
      assignee: Type.Optional(Type.String({ format: 'email', title: 'Assignee', description: 'Empty: the contact’s owner attribute, else the CRM’s queue' })),
    },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'next', label: 'Created' },
    { name: 'error', label: 'Refused' },
  ],
  migrations: {
    // v1: { subject, urgent } → v2: { title, priority, dueInDays }
    1: (v1: { subject: string; urgent?: boolean; dueInDays?: number }) => ({
      title: v1.subject,
      priority: v1.urgent ? 'high' : 'normal',
      dueInDays: v1.dueInDays ?? 2,
    }),
  },
  run: async (ctx) => {
    const { ACME_CRM_URL: base, ACME_CRM_TOKEN: token } = ctx.secrets;
    if (!base || !token) throw new NotRetryableError('set TEND_SECRET_ACME_CRM_URL and TEND_SECRET_ACME_CRM_TOKEN');
    const owner = ctx.contact.attributes.owner;
    const due = new Date(ctx.now.getTime() + ctx.config.dueInDays * 86_400_000);
    const res = await ctx.effects.http({
      method: 'POST',
      url: `${base.replace(/\/$/, '')}/tasks`,
      // The CRM de-duplicates on this key: a retried visit never makes a second task.
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': ctx.idempotencyKey },
      body: JSON.stringify({
        title: ctx.render(ctx.config.title, {}, { escape: false }),
        priority: ctx.config.priority,
        due: due.toISOString().slice(0, 10),
        assignee: ctx.config.assignee ?? (typeof owner === 'string' ? owner : null),
        contact: { email: ctx.contact.email, externalId: ctx.contact.externalId, score: ctx.contact.score },
        source: { program: ctx.program.name, node: ctx.node.id },
      }),
    });
    if (res.status === 429 || res.status >= 500) throw new RetryAfterError(`Acme CRM answered ${res.status}`, 2000 * 2 ** (ctx.attempt - 1));
    if (res.status >= 400) {
      ctx.log.warn('Acme CRM refused the task', { status: res.status, body: res.body.slice(0, 200) });
      return directive.next('error');
    }
    const taskId = (JSON.parse(res.body || '{}') as { id?: unknown }).id;
    if (typeof taskId === 'string') await ctx.effects.updateContact([{ op: 'set', field: 'acme_task_id', value: taskId }]);
    return directive.next();
  },
});
