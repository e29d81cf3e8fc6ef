// tend.logic.switch: many ways on conditions, tried in order; the first that holds
// names the port, and `otherwise` catches the rest (region, plan, survey answer…).
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems, evaluateMeasured } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.logic.switch',
  version: 1,
  quick: true,
  category: 'logic',
  title: 'Switch',
  description: 'Sends the contact on by the first case whose condition holds, else by "otherwise".',
  summary: 'Switch on {{cases}}',
  configSchema: Type.Object(
    {
      cases: Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', title: 'Port name' }),
            label: Type.Optional(Type.String({ maxLength: 60, title: 'Label' })),
            condition: Condition,
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 30, title: 'Cases' },
      ),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'otherwise', label: 'Otherwise' }],
  dynamicPorts: { field: 'cases', nameKey: 'name', labelKey: 'label' },
  check: (config) => {
    const problems: { path: string; message: string }[] = [];
    const names = new Set<string>(['otherwise']);
    config.cases.forEach((c: { name: string; condition: unknown }, i: number) => {
      if (names.has(c.name)) problems.push({ path: `/cases/${i}/name`, message: `port name "${c.name}" is used twice` });
      names.add(c.name);
      problems.push(...conditionProblems(c.condition as never, `/cases/${i}/condition`, { facts: true }));
    });
    return problems;
  },
  run: async (ctx) => {
    const scope = { contact: ctx.contact, event: ctx.event, received: ctx.received };
    for (const c of ctx.config.cases) if (await evaluateMeasured(c.condition, scope, ctx.measure)) return directive.next(c.name);
    return directive.next('otherwise');
  },
});
