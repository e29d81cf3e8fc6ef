// The flow document (`tend.flow/v1`): how a program is saved, exported and imported.
// Edges name node ids and port names only, never positions in arrays.
import { Type, type Static } from '@sinclair/typebox';
import { Condition } from '../plugin/condition-schema.js';
import { DURATION_PATTERN } from '../plugin/duration.js';

export const FLOW_FORMAT = 'tend.flow/v1';

export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const TYPE_PATTERN = '^[a-z0-9-]+(\\.[a-z0-9-]+)+$';

export const FlowSettings = Type.Object(
  {
    reentry: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('afterExit'), Type.Literal('afterPeriod')], {
      description: 'never: a contact enters once; afterExit: again once the previous run ended (default); afterPeriod: again once `reentryAfter` has passed since the last entry',
    })),
    reentryAfter: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: 'For reentry afterPeriod, e.g. "30 days"' })),
    correlationKey: Type.Optional(Type.String({ pattern: '^properties(\\.[A-Za-z0-9_$-]+)+$', description: 'Event path whose value keys separate runs of one contact, e.g. properties.cart_id' })),
    goal: Type.Optional(Condition),
    goalValue: Type.Optional(Type.String({ pattern: '^properties(\\.[A-Za-z0-9_$-]+)+$', description: 'The goal event\'s property holding its value, counted as revenue, e.g. properties.total' })),
    attributionWindow: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: 'A goal event within this time after the contact entered or was sent a message of this program is its conversion (default "7 days")' })),
    holdoutPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 50, description: 'Share of entrants held out: they get nothing, and their conversions give the program\'s lift' })),
  },
  { additionalProperties: false },
);
export type FlowSettings = Static<typeof FlowSettings>;

export const FlowNode = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    type: Type.String({ pattern: TYPE_PATTERN, description: 'Namespaced plugin type id' }),
    version: Type.Integer({ minimum: 1 }),
    config: Type.Record(Type.String(), Type.Unknown()),
    label: Type.Optional(Type.String({ maxLength: 200 })),
    position: Type.Optional(Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type FlowNode = Static<typeof FlowNode>;

export const FlowEdge = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    source: Type.String({ minLength: 1, maxLength: 64 }),
    sourcePort: Type.String({ minLength: 1, maxLength: 64 }),
    target: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type FlowEdge = Static<typeof FlowEdge>;

/** The longest program name: a copy's " (copy)" and a template's title both fit inside it. */
export const MAX_PROGRAM_NAME = 200;

export const FlowDocument = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    format: Type.Literal(FLOW_FORMAT),
    name: Type.String({ minLength: 1, maxLength: MAX_PROGRAM_NAME }),
    description: Type.Optional(Type.String({ maxLength: 10000 })),
    settings: Type.Optional(FlowSettings),
    nodes: Type.Array(FlowNode, { maxItems: 5000 }),
    edges: Type.Array(FlowEdge, { maxItems: 20000 }),
  },
  { additionalProperties: false, $id: 'https://tend.dev/schemas/tend.flow.v1.json', title: 'Tend program (flow document)' },
);
export type FlowDocument = Static<typeof FlowDocument>;
