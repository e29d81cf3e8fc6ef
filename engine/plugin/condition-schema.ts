// The condition language as JSON Schema, for node configs and flow documents (the
// evaluation is in conditions.ts, which the workflow bundle includes and must keep light).
import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN } from './duration.js';
import { FACT_MEASURES, OPERATORS, type Comparison as ComparisonType, type Condition as ConditionType } from './conditions.js';

export const Comparison = Type.Object(
  {
    field: Type.String({ minLength: 1, pattern: '^(contact|event|received)(\\.[A-Za-z0-9_$-]+)*$', description: 'A path such as contact.score, contact.attributes.plan, contact.tags, event.properties.total (the event that started the run) or received.properties.answer (the event that ended the last wait for an event)' }),
    op: Type.Union(OPERATORS.map((o) => Type.Literal(o)), { description: 'Comparison operator' }),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false, title: 'Comparison' },
);
export const Condition = Type.Recursive(
  (Self) =>
    Type.Union([
      Type.Object({ all: Type.Array(Self) }, { additionalProperties: false }),
      Type.Object({ any: Type.Array(Self) }, { additionalProperties: false }),
      Type.Object({ not: Self }, { additionalProperties: false }),
      Comparison,
      Type.Object(
        {
          fact: Type.Union(FACT_MEASURES.map((m) => Type.Literal(m)), { description: 'count: how many such events; sum: the total of `property` over them' }),
          event: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', description: 'Event type' }),
          where: Type.Optional(Self),
          within: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: 'Only events in this window before now, e.g. "90 days"; all history when unset' })),
          property: Type.Optional(Type.String({ pattern: '^properties(\\.[A-Za-z0-9_$-]+)+$', description: 'For sum: the event property added up, e.g. properties.value' })),
          op: Type.Union(OPERATORS.map((o) => Type.Literal(o))),
          value: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false, title: 'Event fact' },
      ),
    ]),
  { $id: 'Condition', title: 'Condition' },
);
export type Comparison = ComparisonType;
export type Condition = ConditionType;

