// /api/segments: saved conditions over contacts with live membership; a preview
// counts and samples any condition without saving it.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { PreviewInput, SegmentInput, deleteSegment, getSegment, insertSegment, listSegments, previewCondition, segmentConditionProblems, segmentMembers, updateSegment, type Segment } from '../../engine/audience/segments/store.js';
import { programsUsingSegment } from '../../engine/audience/segments/usage.js';
import { segmentSizes } from '../../engine/audience/segments/sizes.js';
import { intParam, parseBody } from '../input.js';
import { route } from '../problem.js';

function checked(body: unknown): SegmentInput {
  const input = parseBody(SegmentInput, body);
  const problems = segmentConditionProblems(input.condition, '/condition');
  if (problems.length) throw new HttpProblem(422, 'Invalid segment', problems);
  return input;
}

async function found(db: Db, idOrKey: string): Promise<Segment> {
  const segment = await getSegment(db, idOrKey);
  if (!segment) throw new HttpProblem(404, 'Unknown segment', [{ path: '/id', message: `no segment has id or key ${idOrKey}` }]);
  return segment;
}

export function segmentsRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ segments: await listSegments(db) })));
  r.post('/preview', route(async (req, res) => {
    const input = parseBody(PreviewInput, req.body);
    const problems = segmentConditionProblems(input.condition, '/condition');
    if (problems.length) throw new HttpProblem(422, 'Invalid condition', problems);
    res.json(await previewCondition(db, input.condition, input.sample ?? 10));
  }));
  r.post('/', route(async (req, res) => {
    const input = checked(req.body);
    const segment = await insertSegment(db, input);
    if (!segment) throw new HttpProblem(409, 'Segment key taken', [{ path: '/key', message: `a segment with key "${input.key}" exists` }]);
    res.status(201).location(`/api/segments/${segment.id}`).json(segment);
  }));
  r.get('/:id', route(async (req, res) => void res.json(await found(db, String(req.params.id)))));
  r.get('/:id/members', route(async (req, res) => {
    const segment = await found(db, String(req.params.id));
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 500, fallback: 50 });
    const offset = intParam(req.query.offset, 'offset', { min: 0, max: 1_000_000, fallback: 0 });
    res.json({ segment: segment.key, count: segment.members, contacts: await segmentMembers(db, segment.id, limit, offset) });
  }));
  r.get('/:id/sizes', route(async (req, res) => {
    const segment = await found(db, String(req.params.id));
    const days = intParam(req.query.days, 'days', { min: 1, max: 366, fallback: 90 });
    res.set('Cache-Control', 'no-store').json({ segment: segment.key, days, sizes: await segmentSizes(db, segment.id, days) });
  }));
  r.get('/:id/used-by', route(async (req, res) => {
    const segment = await found(db, String(req.params.id));
    res.json({ segment: segment.key, programs: await programsUsingSegment(db, segment.key) });
  }));
  r.put('/:id', route(async (req, res) => {
    const existing = await found(db, String(req.params.id));
    const result = await updateSegment(db, existing.id, checked(req.body));
    if (result === 'key taken') throw new HttpProblem(409, 'Segment key taken', [{ path: '/key', message: 'another segment has this key' }]);
    if (result === 'missing') throw new HttpProblem(404, 'Unknown segment', [{ path: '/id', message: `no segment has id ${existing.id}` }]);
    res.json(result);
  }));
  r.delete('/:id', route(async (req, res) => {
    const existing = await found(db, String(req.params.id));
    await deleteSegment(db, existing.id);
    res.status(204).end();
  }));
  return r;
}
