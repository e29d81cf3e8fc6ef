// /api/contacts: upsert, look-up and search, one contact, and its timeline (events,
// node visits and messages in time order).
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { getContact, resolveContact, updateContactFields, toContact, normaliseEmail, type ContactRow } from '../../engine/storage/contacts.js';
import { parseBody, intParam } from '../input.js';
import { route } from '../problem.js';
import { contactsBatch } from './contacts-batch.js';
import { decodeCursor, encodeCursor } from '../cursor.js';

import { ContactUpsert, checkTimezone } from './contact-input.js';
import { actorOf, type Caller } from '../auth.js';
import { decayingAwards } from '../../engine/audience/scoring.js';

/** A timeline cursor (`next` of the page before), checked field by field. */
function readCursor(raw: unknown): [string, string, string, string] | undefined {
  if (raw === undefined) return undefined;
  const bad = () => new HttpProblem(422, 'Invalid request', [{ path: '/query/after', message: 'not a cursor this timeline gave (use the `next` of the page before)' }]);
  if (typeof raw !== 'string' || raw.length > 500) throw bad();
  let parsed: unknown;
  try { parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')); } catch { throw bad(); }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.every((x) => typeof x === 'string' && x.length < 120) || !parsed.slice(0, 2).every((t) => /^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)$/.test(t))) throw bad();
  return parsed as [string, string, string, string];
}

export function contactsRouter(db: Db, onStored: () => void = () => undefined): Router {
  const r = router();

  r.post('/batch', contactsBatch(db, onStored));

  r.put('/', route(async (req, res) => {
    const body = parseBody(ContactUpsert, req.body);
    checkTimezone(body.timezone, '/timezone');
    const { contactId, externalId, email, ...fields } = body;
    const result = await transaction(db, async (tx) => {
      const { contact, created } = await resolveContact(tx, { contactId, externalId, email });
      // The contact's history of changes names who made this one (a person, a key).
      return { contact: await updateContactFields(tx, contact.id, fields, { by: actorOf(res.locals.caller as Caller).name }), created };
    });
    res.status(result.created ? 201 : 200).json(result.contact);
  }));

  r.get('/', route(async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 500, fallback: 50 });
    const offset = intParam(req.query.offset, 'offset', { min: 0, max: 10_000_000, fallback: 0 });
    const after = decodeCursor(req.query.after, 'after');
    if (after && offset) throw new HttpProblem(400, 'Invalid query parameter', [{ path: '?after', message: 'page with after (the `next` of the page before) or with offset, not both' }]);
    const { email, externalId, q, tag, segment } = req.query;
    // Merged visitors are shells pointing at their survivor (engine/audience/identity.ts): not listed.
    let where = 'merged_into IS NULL';
    const params: unknown[] = [];
    const param = (v: unknown) => { params.push(v); return `$${params.length}`; };
    if (typeof email === 'string') where += ` AND email = ${param(normaliseEmail(email))}`;
    else if (typeof externalId === 'string') where += ` AND external_id = ${param(externalId)}`;
    else if (typeof q === 'string' && q.trim()) {
      const like = param(`%${q.trim().replace(/[\\%_]/g, (c) => '\\' + c)}%`);
      where += ` AND (email ILIKE ${like} OR external_id ILIKE ${like} OR attributes::text ILIKE ${like})`;
    }
    if (typeof tag === 'string' && tag) where += ` AND tags @> ARRAY[${param(tag)}]::text[]`;
    if (typeof segment === 'string' && segment) {
      const s = param(segment);
      where += ` AND EXISTS (SELECT 1 FROM segment_members m JOIN segments sg ON sg.id = m.segment_id WHERE m.contact_id = contacts.id AND sg.active AND (sg.key = ${s} OR sg.id::text = ${s}))`;
    }
    // Keyset paging reads only the page, however deep: (created_at, id) orders every contact.
    const page = after ? `${where} AND (created_at, id) > (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)` : where;
    const countParams = [...params];
    // The total counts every match, also when the page asked for lies past the last one.
    // Only without a cursor: counting reads every match (~100 ms at 1,000,000 contacts,
    // most of a page's cost), and the pages after the first carry on from its total.
    const [{ rows }, counted] = await Promise.all([
      // The cursor keeps the microseconds PostgreSQL stores (a JavaScript Date would drop them).
      db.query<ContactRow & { cursor_at: string }>(`SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at FROM contacts WHERE ${page} ORDER BY created_at, id LIMIT ${param(limit)} OFFSET ${param(offset)}`, params),
      after ? undefined : db.query<{ total: number }>(`SELECT count(*)::int AS total FROM contacts WHERE ${where}`, countParams),
    ]);
    const last = rows.length === limit ? rows.at(-1) : undefined;
    const next = last ? encodeCursor([last.cursor_at, last.id]) : null;
    res.json({ contacts: rows.map(toContact), total: counted ? counted.rows[0]!.total : null, limit, offset, next });
  }));

  const load = async (id: string) => {
    const c = /^[0-9a-f-]{36}$/i.test(id) ? await getContact(db, id) : undefined;
    if (!c) throw new HttpProblem(404, 'Unknown contact', [{ path: '/id', message: `no contact has id ${id}` }]);
    return c;
  };

  r.get('/:id', route(async (req, res) => {
    const c = await load(String(req.params.id));
    // A merged visitor (engine/audience/identity.ts) names the contact that absorbed it.
    const merged = (await db.query<{ merged_into: string | null }>('SELECT merged_into FROM contacts WHERE id = $1', [c.id])).rows[0]?.merged_into;
    res.json(merged ? { ...c, mergedInto: merged } : c);
  }));

  // Points still to be taken back (decay), soonest first, with the rule that gave them.
  r.get('/:id/decaying-points', route(async (req, res) => {
    const c = await load(String(req.params.id));
    res.json({ awards: await decayingAwards(db, c.id) });
  }));

  r.get('/:id/timeline', route(async (req, res) => {
    const c = await load(String(req.params.id));
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 5000, fallback: 500 });
    const after = readCursor(req.query.after);
    // Oldest first; (at, seq, kind, k) orders every entry, so a page ends exactly where the next begins.
    const { rows } = await db.query(
      `SELECT *, at::text AS at_text, seq::text AS seq_text FROM (
         SELECT 'event' AS kind, occurred_at AS at, received_at AS seq, id::text AS k, jsonb_build_object('id', id, 'type', type, 'properties', properties, 'source', source) AS data FROM events WHERE contact_id = $1
         UNION ALL
         SELECT 'node', v.entered_at, v.entered_at, v.enrollment_id::text || ':' || v.node_id || ':' || v.visit, jsonb_build_object('programId', v.program_id, 'version', v.version, 'node', v.node_id, 'visit', v.visit, 'status', v.status, 'port', v.port, 'leftAt', v.left_at, 'wakeAt', v.wake_at, 'error', v.error)
           FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id WHERE e.contact_id = $1
         UNION ALL
         SELECT 'message', created_at, created_at, id::text, jsonb_build_object('id', id, 'channel', channel, 'status', status, 'subject', subject, 'recipient', recipient, 'reason', reason, 'programId', program_id, 'node', node_id, 'sentAt', sent_at, 'openedAt', first_opened_at, 'clickedAt', first_clicked_at) FROM messages WHERE contact_id = $1
       ) t
       WHERE $3::timestamptz IS NULL OR (at, seq, kind, k) > ($3::timestamptz, $4::timestamptz, $5::text, $6::text)
       ORDER BY at, seq, kind, k LIMIT $2`,
      [c.id, limit + 1, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, after?.[3] ?? null],
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    res.json({
      contact: c,
      entries: page.map((r) => ({ kind: r.kind, at: r.at, ...r.data })),
      // The timeline stops at `limit`: `next` continues it (?after=next).
      truncated: more,
      ...(more && last ? { next: Buffer.from(JSON.stringify([last.at_text, last.seq_text, last.kind, last.k])).toString('base64url') } : {}),
    });
  }));

  return r;
}
