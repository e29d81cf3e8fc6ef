// /api/flows: programs as flow documents — validate, create, edit the draft, publish
// immutable versions, export and import, stats and the contacts at a node.
import type { Request, Response, Router } from 'express';
import { router } from '../router.js';
import { Type } from '@sinclair/typebox';
import { HttpProblem } from '../http-problem.js';
import { FlowDocument, FLOW_FORMAT, MAX_PROGRAM_NAME } from '../../engine/flow/document.js';
import { diffPrograms } from '../../engine/flow/diff.js';
import { validateFlow, migratedConfig, unstorableProblems, PRINTABLE_LINE, PRINTABLE_TEXT } from '../../engine/flow/validate.js';
import type { Registry } from '../../engine/plugin/registry.js';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import * as programs from '../../engine/storage/programs.js';
import { programStats } from '../../engine/storage/stats.js';
import { nodeSeries } from '../../engine/storage/node-analytics.js';
import { parseBody, intParam, requireBody, flagParam } from '../input.js';
import { route } from '../problem.js';

export const Rename = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE_LINE }), description: Type.Optional(Type.String({ maxLength: 10000, pattern: PRINTABLE_TEXT })) }, { additionalProperties: false });

export function flowsRouter(db: Db, registry: Registry): Router {
  const r = router();

  const load = async (id: string) => {
    const p = await programs.getProgram(db, id);
    if (!p) throw new HttpProblem(404, 'Unknown program', [{ path: '/id', message: `no program has id ${id}` }]);
    return p;
  };

  /** Brings every node's config up to its plugin's current version (older templates keep loading). */
  const upgrade = (doc: FlowDocument): FlowDocument => ({
    ...doc,
    nodes: doc.nodes.map((n) => {
      const plugin = registry.get(n.type);
      if (!plugin || plugin.version === n.version) return n;
      const m = migratedConfig(registry, n);
      return m ? { ...n, version: plugin.version, config: m.config as Record<string, unknown> } : n;
    }),
  });

  /** Refuses what even a draft may not hold (engine/flow/validate.ts), with every path. */
  const storable = (doc: FlowDocument): FlowDocument => {
    const problems = unstorableProblems(doc, registry);
    if (problems.length) throw new HttpProblem(422, 'The program cannot be stored', problems);
    return doc;
  };

  const detail = async (p: programs.ProgramRow) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    status: p.status,
    liveVersion: p.live_version,
    revision: p.revision,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
    draft: p.draft,
    problems: validateFlow(p.draft, registry),
    versions: await programs.listVersions(db, p.id),
  });

  r.post('/validate', route(async (req, res) => {
    requireBody(req.body);
    if (Array.isArray(req.body)) throw new HttpProblem(422, 'Invalid request', [{ path: '/', message: 'send one flow document (an object), not a list' }]);
    const problems = validateFlow(req.body, registry);
    res.json({ valid: problems.length === 0, problems });
  }));

  const create = route(async (req, res) => {
    const body = req.body?.document && req.body?.format === undefined ? req.body.document : req.body;
    const doc = storable(upgrade(parseBody(FlowDocument, body)));
    const p = await programs.insertProgram(db, doc);
    res.status(201).location(`/api/flows/${p.id}`).json(await detail(p));
  });
  r.post('/', create);
  r.post('/import', create);

  r.get('/', route(async (req, res) => {
    res.json({ programs: await programs.listPrograms(db, flagParam(req.query.archived, 'archived')) });
  }));

  r.get('/:id', route(async (req, res) => {
    const p = await load(String(req.params.id));
    res.set('etag', `"${p.revision}"`).json(await detail(p));
  }));

  /**
   * Saves the draft. With `If-Match: "<revision>"` (the editor always sends it) the save
   * is refused with 409 when the draft moved on since that revision, so one tab or
   * person never silently overwrites another's change; without it, the save wins.
   */
  const save = async (req: Request, res: Response, p: programs.ProgramRow, doc: FlowDocument) => {
    const header = req.get('if-match');
    const from = header === undefined ? undefined : Number(/^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim())?.[1] ?? NaN);
    if (from !== undefined && !Number.isInteger(from)) throw new HttpProblem(400, 'Invalid If-Match', [{ path: '/headers/if-match', message: 'send the revision the draft was loaded at, e.g. If-Match: "3"' }]);
    const saved = await programs.saveDraft(db, p.id, doc, from);
    if (!saved) {
      const now = await load(p.id);
      throw new HttpProblem(409, 'The draft changed elsewhere', [{ path: '/headers/if-match', message: `the draft is at revision ${now.revision} (saved ${now.updated_at.toISOString()}), not ${from}: reload it, or save again from revision ${now.revision} to keep yours` }], { extensions: { currentRevision: now.revision, updatedAt: now.updated_at.toISOString() } });
    }
    // The audit log's entry for a save says what changed in the draft, in the publish dialog's words.
    const changes = diffPrograms(p.draft, doc, registry).map((c) => c.text);
    if ((p.draft.description ?? '') !== (doc.description ?? '')) changes.push('Changed the description');
    res.locals.audit = { target: { kind: 'program', id: p.id }, detail: { name: doc.name, revision: saved.revision, changes: changes.length ? changes : ['Moved nodes (layout only)'] } };
    res.set('etag', `"${saved.revision}"`).json(await detail(saved));
  };

  /** An archived program is not edited, by a save or a rename. */
  const editable = async (id: string) => {
    const p = await load(id);
    if (p.status === 'archived') throw new HttpProblem(409, 'Program archived', [{ path: '/status', message: 'restore the program before editing it' }]);
    return p;
  };

  r.put('/:id', route(async (req, res) => {
    const p = await editable(String(req.params.id));
    await save(req, res, p, storable(upgrade(parseBody(FlowDocument, req.body))));
  }));

  r.patch('/:id', route(async (req, res) => {
    const p = await editable(String(req.params.id));
    const { name, description } = parseBody(Rename, req.body);
    await save(req, res, p, storable({ ...p.draft, name, description: description ?? p.draft.description }));
  }));

  r.post('/:id/publish', route(async (req, res) => {
    const result = await transaction(db, async (tx) => {
      const p = await programs.getProgram(tx, String(req.params.id), true);
      if (!p) throw new HttpProblem(404, 'Unknown program', [{ path: '/id', message: `no program has id ${req.params.id}` }]);
      if (p.status === 'archived') throw new HttpProblem(409, 'Program archived', [{ path: '/status', message: 'an archived program cannot be published' }]);
      const problems = validateFlow(p.draft, registry);
      if (problems.length) throw new HttpProblem(422, 'The program has problems', problems);
      const live = p.live_version ? await programs.getVersion(tx, p.id, p.live_version) : undefined;
      // The audit log's entry says what this publish changed, in the publish dialog's words.
      res.locals.audit = { target: { kind: 'program', id: p.id }, detail: { name: p.draft.name, changes: live ? diffPrograms(live, p.draft, registry).map((c) => c.text) : ['First version'] } };
      return { version: await programs.insertVersion(tx, p.id, p.draft), id: p.id };
    });
    (res.locals.audit.detail as Record<string, unknown>).version = result.version;
    res.json({ id: result.id, version: result.version, status: 'live' });
  }));

  const setStatus = (status: 'paused' | 'live' | 'archived', allowed: string[]) =>
    route(async (req, res) => {
      const p = await load(String(req.params.id));
      if (!allowed.includes(p.status)) throw new HttpProblem(409, `Cannot make a ${p.status} program ${status}`, [{ path: '/status', message: `the program is ${p.status}` }]);
      if (status === 'live' && !p.live_version) throw new HttpProblem(409, 'Never published', [{ path: '/status', message: 'publish the program first' }]);
      await programs.setStatus(db, p.id, status);
      res.json(await detail((await programs.getProgram(db, p.id))!));
    });
  r.post('/:id/pause', setStatus('paused', ['live']));
  r.post('/:id/resume', setStatus('live', ['paused']));
  r.post('/:id/archive', setStatus('archived', ['draft', 'live', 'paused']));

  r.post('/:id/duplicate', route(async (req, res) => {
    const p = await load(String(req.params.id));
    // The name shortened as needed so the copy's is still a name a program may have.
    const copy = await programs.insertProgram(db, { ...p.draft, name: `${p.draft.name.slice(0, MAX_PROGRAM_NAME - ' (copy)'.length).trimEnd()} (copy)` });
    res.status(201).location(`/api/flows/${copy.id}`).json(await detail(copy));
  }));

  /**
   * How many contacts the draft's triggers would have let in over the last `days` days
   * (for the publish summary): distinct contacts with an event of each trigger's type in
   * that window. An estimate: a trigger's `where` filter and re-entry rules are not
   * applied (so it is at most that many), and triggers that do not start on an event
   * type (segments, dates, schedules) are not estimated.
   */
  r.get('/:id/reach', route(async (req, res) => {
    const p = await load(String(req.params.id));
    const days = intParam(req.query.days, 'days', { min: 1, max: 365, fallback: 7 });
    const types = new Set<string>();
    let unestimated = 0;
    for (const node of p.draft.nodes) {
      const plugin = registry.get(node.type);
      if (plugin?.category !== 'trigger') continue;
      const m = migratedConfig(registry, node);
      const spec = m && plugin.trigger ? plugin.trigger(m.config as never) : undefined;
      if (spec?.eventType && !spec.eventType.startsWith('tend.')) types.add(spec.eventType);
      else unestimated++;
    }
    const contacts = types.size
      ? Number((await db.query<{ n: string }>("SELECT count(DISTINCT contact_id) AS n FROM events WHERE type = ANY($1) AND occurred_at > now() - make_interval(days => $2)", [[...types], days])).rows[0]?.n ?? 0)
      : null;
    res.json({ days, eventTypes: [...types], contacts, unestimatedTriggers: unestimated });
  }));

  r.get('/:id/versions', route(async (req, res) => {
    const p = await load(String(req.params.id));
    res.json({ versions: await programs.listVersions(db, p.id) });
  }));

  /** A program's document at a version: its draft, the live one, or a published number. */
  const documentOf = async (p: programs.ProgramRow, version: 'draft' | 'live' | number): Promise<FlowDocument> => {
    if (version === 'draft') return p.draft;
    const v = version === 'live' ? p.live_version : version;
    const doc = v ? await programs.getVersion(db, p.id, v) : undefined;
    if (!doc) throw new HttpProblem(404, 'Unknown version', [{ path: '?version', message: `program ${p.id} has no version ${version}` }]);
    return doc;
  };
  const versionParam = (value: unknown) => intParam(value, 'version', { min: 1, max: 1_000_000, fallback: 1 });

  r.get('/:id/export', route(async (req, res) => {
    const p = await load(String(req.params.id));
    const asked = req.query.version;
    const doc = await documentOf(p, asked === undefined || asked === 'draft' ? 'draft' : asked === 'live' ? 'live' : versionParam(asked));
    const file = `${doc.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'program'}.tend.json`;
    res.set('content-disposition', `attachment; filename="${file}"`).json({ $schema: '/schemas/tend.flow.v1.json', ...doc, format: FLOW_FORMAT });
  }));

  r.get('/:id/stats', route(async (req, res) => {
    const p = await load(String(req.params.id));
    const version = req.query.version === undefined ? undefined : versionParam(req.query.version);
    const doc = version ? await documentOf(p, version) : p.live_version ? await documentOf(p, 'live') : p.draft;
    res.json({ id: p.id, version: version ?? p.live_version, ...(await programStats(db, p.id, doc, version)) });
  }));

  // One step's figures per day, for the chart the editor shows on a selected node.
  r.get('/:id/nodes/:node/analytics', route(async (req, res) => {
    const p = await load(String(req.params.id));
    const node = String(req.params.node);
    const doc = p.live_version ? await documentOf(p, 'live') : p.draft;
    if (!doc.nodes.some((n) => n.id === node) && !p.draft.nodes.some((n) => n.id === node)) throw new HttpProblem(404, 'Unknown node', [{ path: '/node', message: `the program has no node ${node}` }]);
    const days = intParam(req.query.days, 'days', { min: 1, max: 90, fallback: 30 });
    res.json({ id: p.id, node, days, series: await nodeSeries(db, p.id, node, days) });
  }));

  r.get('/:id/enrollments', route(async (req, res) => {
    const p = await load(String(req.params.id));
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 500, fallback: 50 });
    const offset = intParam(req.query.offset, 'offset', { min: 0, max: 10_000_000, fallback: 0 });
    const node = typeof req.query.node === 'string' ? req.query.node : undefined;
    const params: unknown[] = [p.id, limit, offset];
    let where = "e.program_id = $1 AND e.status = 'active'";
    if (node) {
      params.push(node);
      where += ` AND e.current_node = $${params.length}`;
    }
    const { rows } = await db.query(
      `SELECT e.id, e.contact_id AS "contactId", c.email, c.external_id AS "externalId", e.version, e.key, e.current_node AS "node", e.entered_at AS "enteredAt",
              (SELECT v.wake_at FROM node_visits v WHERE v.enrollment_id = e.id AND v.node_id = e.current_node ORDER BY v.visit DESC LIMIT 1) AS "wakeAt"
       FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE ${where} ORDER BY e.entered_at LIMIT $2 OFFSET $3`,
      params,
    );
    res.json({ enrollments: rows });
  }));

  return r;
}
