// GET /api/flows/:id/attribution?days=30: a published program's conversions, revenue
// and lift over its holdout (engine/results/attribution.ts), by the live version's goal,
// value, window and holdout. The answer's schema is here, in TypeBox, for the OpenAPI
// document (server/openapi-responses.ts).
import type { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import * as programs from '../../engine/storage/programs.js';
import { attributionReport } from '../../engine/results/attribution.js';
import { intParam } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

const orNull = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const Credit = Type.Object({ conversions: Type.Integer(), revenue: Type.Number() });
const Group = Type.Object({ entrants: Type.Integer(), converted: Type.Integer({ description: 'Entries with a conversion within the window after entering' }), rate: Type.Number(), revenue: Type.Number(), revenuePerEntrant: Type.Number() });

export const AttributionAnswer = Type.Object({
  programId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ description: 'The live version whose settings are applied' }),
  days: Type.Integer(),
  since: Type.String({ format: 'date-time', description: 'Start of the period (UTC midnight)' }),
  goal: Type.Unsafe({ $ref: '#/components/schemas/Condition' }),
  value: Type.Union([Type.String(), Type.Null()], { description: 'The goal event\'s property counted as revenue (settings.goalValue)' }),
  window: Type.String({ description: 'The attribution window (settings.attributionWindow)' }),
  holdoutPercent: Type.Number(),
  conversions: Type.Integer({ description: 'Goal events in the period within the window after a touch of the program (its entry or a message it sent)' }),
  revenue: Type.Number(),
  contacts: Type.Integer({ description: 'Contacts with a conversion' }),
  byNode: Type.Array(Type.Object({ nodeId: Type.String(), lastTouch: Credit, firstTouch: Credit })),
  byMessage: Type.Array(Type.Object({ messageId: Type.String({ format: 'uuid' }), nodeId: Type.String(), lastTouch: Credit, firstTouch: Credit }), { description: 'The 50 messages with the most last-touch revenue' }),
  groups: Type.Object({ treated: Group, holdout: Group }),
  lift: Type.Union([Type.Object({
    difference: Type.Number({ description: 'Treated conversion rate minus the holdout\'s' }),
    low: Type.Number(), high: Type.Number(),
    relative: orNull(Type.Number()), z: orNull(Type.Number()), pValue: orNull(Type.Number()),
    confidence: Type.Number(), method: Type.String(), incrementalRevenue: Type.Number(),
  }), Type.Null()], { description: 'Null until both the treated group and the holdout have entrants' }),
  perDay: Type.Array(Type.Object({
    day: Type.String({ format: 'date' }), conversions: Type.Integer(), revenue: Type.Number(),
    treatedRate: orNull(Type.Number()), holdoutRate: orNull(Type.Number()),
    lift: orNull(Type.Number({ description: 'Of the entries up to this day' })), low: orNull(Type.Number()), high: orNull(Type.Number()),
  })),
});

export function attributionRouter(db: Db): Router {
  const r = router({ mergeParams: true });
  r.get('/', route(async (req, res) => {
    const { id } = req.params as { id: string };
    const days = intParam(req.query.days, 'days', { min: 1, max: 365, fallback: 30 });
    const program = isUuid(id) ? await programs.getProgram(db, id) : undefined;
    if (!program?.live_version) throw new HttpProblem(404, 'Unknown program', [{ path: '/id', message: `no published program has id ${id}` }]);
    const doc = await programs.getVersion(db, id, program.live_version);
    const report = await attributionReport(db, { programId: id, version: program.live_version, settings: doc?.settings ?? {}, days });
    if (!report) throw new HttpProblem(404, 'No conversions to count', [{ path: '/settings/goal', message: `version ${program.live_version} has no goal that reads only the event (e.g. event.type is order_completed), so it has no conversions to attribute` }]);
    res.set('Cache-Control', 'no-store').json({ programId: id, ...report });
  }));
  return r;
}
