// A contact's personal data on request: everything Tend holds about them as one JSON
// document, and erasure — their runs ended (workflows terminated and their histories
// deleted, since signals carry event data), every row that names them deleted, and a
// record of the erasure that names no one. Anonymous contacts merged into the person
// are the same person: they go too.
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { workflowIdOf } from '../dispatch/dispatcher.js';
import type { Log } from '../ops/log.js';
import { EngineProblem } from '../ops/errors.js';

/** The contact and every contact merged into it (recursively). */
async function personIds(db: Queryable, contactId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE c AS (SELECT id FROM contacts WHERE id = $1 UNION SELECT k.id FROM contacts k JOIN c ON k.merged_into = c.id) SELECT id FROM c`,
    [contactId],
  );
  return rows.map((r) => r.id);
}

const rowsOf = async (db: Queryable, sql: string, ids: string[]) => (await db.query<{ row: Record<string, unknown> }>(sql, [ids])).rows.map((r) => r.row);

/** Everything about a contact, or undefined when there is no such contact. */
export async function exportContact(db: Db, contactId: string): Promise<Record<string, unknown> | undefined> {
  const ids = await personIds(db, contactId);
  if (!ids.length) return undefined;
  const [contacts, identities, events, messages, enrollments, segments, scoreAwards, rfmPurchases, merges, dateSchedules] = await Promise.all([
    rowsOf(db, 'SELECT to_jsonb(c) AS row FROM contacts c WHERE id = ANY($1) ORDER BY created_at', ids),
    rowsOf(db, 'SELECT to_jsonb(i) AS row FROM contact_identities i WHERE contact_id = ANY($1) ORDER BY created_at', ids),
    rowsOf(db, 'SELECT to_jsonb(e) AS row FROM events e WHERE contact_id = ANY($1) ORDER BY occurred_at, received_at', ids),
    rowsOf(db, 'SELECT to_jsonb(m) AS row FROM messages m WHERE contact_id = ANY($1) ORDER BY created_at', ids),
    rowsOf(db, `SELECT to_jsonb(e) || jsonb_build_object('programName', p.name, 'visits',
                  COALESCE((SELECT jsonb_agg(to_jsonb(v) ORDER BY v.entered_at) FROM node_visits v WHERE v.enrollment_id = e.id), '[]')) AS row
                FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE e.contact_id = ANY($1) ORDER BY e.entered_at`, ids),
    rowsOf(db, `SELECT jsonb_build_object('segmentId', s.id, 'segment', s.name, 'enteredAt', m.entered_at) AS row
                FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE m.contact_id = ANY($1)`, ids),
    rowsOf(db, 'SELECT to_jsonb(a) AS row FROM score_awards a WHERE contact_id = ANY($1) ORDER BY awarded_at', ids),
    rowsOf(db, 'SELECT to_jsonb(r) AS row FROM rfm_purchases r WHERE contact_id = ANY($1) ORDER BY occurred_at', ids),
    rowsOf(db, 'SELECT to_jsonb(m) AS row FROM contact_merges m WHERE merged_id = ANY($1) OR survivor_id = ANY($1) ORDER BY merged_at', ids),
    rowsOf(db, 'SELECT to_jsonb(d) AS row FROM date_schedule d WHERE contact_id = ANY($1)', ids),
  ]);
  const contact = contacts.find((c) => c.id === contactId);
  return {
    format: 'tend.contact-export/v1',
    exportedAt: new Date().toISOString(),
    contact,
    mergedContacts: contacts.filter((c) => c.id !== contactId),
    identities, events, messages, enrollments, segments, scoreAwards, rfmPurchases, merges, dateSchedules,
  };
}

export interface Erasure {
  erasureId: string;
  erasedAt: string;
  counts: Record<string, number>;
}

export interface ErasureDeps {
  db: Db;
  /** Ends the person's runs in Temporal; without it their waiting runs end on their next step. */
  temporal?: Client;
  log?: Log;
}

/** Deletes, in one transaction, every row that names the person; returns the count per table. */
async function eraseRows(db: Db, ids: string[]): Promise<{ counts: Record<string, number>; enrollments: { id: string; wasActive: boolean }[]; files: string[] }> {
  const files: string[] = [];
  return transaction(db, async (tx) => {
    const counts: Record<string, number> = {};
    const run = async (name: string, sql: string, params: unknown[] = [ids]) => {
      const r = await tx.query(sql, params);
      counts[name] = (counts[name] ?? 0) + (r.rowCount ?? 0);
      return r;
    };
    // The outbox first: it waits for a dispatcher holding these rows, before this
    // transaction holds a lock the dispatcher would need (the contact row).
    await run('outbox', 'DELETE FROM outbox WHERE event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))');
    const ended = await tx.query<{ id: string; was_active: boolean }>(
      `UPDATE enrollments e SET status = CASE WHEN e.status = 'active' THEN 'exited' ELSE e.status END,
              exit_reason = CASE WHEN e.status = 'active' THEN 'erased' ELSE e.exit_reason END,
              ended_at = COALESCE(e.ended_at, now()), contact_id = NULL, trigger_event_id = NULL, key = ''
       FROM (SELECT id, status FROM enrollments WHERE contact_id = ANY($1) FOR UPDATE) old
       WHERE e.id = old.id RETURNING e.id, old.status = 'active' AS was_active`,
      [ids],
    );
    const enrollmentIds = ended.rows.map((r) => r.id);
    counts.enrollmentsAnonymised = enrollmentIds.length;
    counts.enrollmentsEnded = ended.rows.filter((r) => r.was_active).length;
    // Visits stay for the program's statistics; none is left waiting, and errors may quote the person.
    await tx.query(
      `UPDATE node_visits SET status = CASE WHEN status IN ('active', 'waiting') THEN 'completed' ELSE status END,
              left_at = COALESCE(left_at, now()), wake_at = NULL, error = CASE WHEN error IS NULL THEN NULL ELSE '(erased)' END
       WHERE enrollment_id = ANY($1)`,
      [enrollmentIds],
    );
    await tx.query('UPDATE enrollments SET trigger_event_id = NULL WHERE trigger_event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))', [ids]);
    // Without SMTP or an SMS provider, sends were written as files naming the person (engine/delivery/mailer.ts, engine/delivery/sms.ts).
    const sent = await tx.query<{ channel: string; response: { response?: string; file?: string } | null }>(
      "SELECT channel, response FROM messages WHERE (contact_id = ANY($1) OR enrollment_id = ANY($2)) AND channel IN ('email', 'sms') AND response IS NOT NULL",
      [ids, enrollmentIds],
    );
    files.push(...sent.rows.map((m) => (m.channel === 'email' ? /^written to (.+\.eml)$/.exec(m.response?.response ?? '')?.[1] : m.response?.file)).filter((f): f is string => typeof f === 'string' && /\.(eml|json)$/.test(f)));
    await run('messages', 'DELETE FROM messages WHERE contact_id = ANY($1) OR enrollment_id = ANY($2)', [ids, enrollmentIds]);
    await run('scoreAwards', 'DELETE FROM score_awards WHERE contact_id = ANY($1) OR event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))');
    await run('rfmPurchases', 'DELETE FROM rfm_purchases WHERE contact_id = ANY($1) OR event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))');
    await run('rfmDue', 'DELETE FROM rfm_due WHERE contact_id = ANY($1)');
    await run('dateSchedule', 'DELETE FROM date_schedule WHERE contact_id = ANY($1)');
    await run('segmentMemberships', 'DELETE FROM segment_members WHERE contact_id = ANY($1)');
    await run('segmentRechecks', 'DELETE FROM segment_rechecks WHERE contact_id = ANY($1)');
    await run('identities', 'DELETE FROM contact_identities WHERE contact_id = ANY($1)');
    await run('merges', 'DELETE FROM contact_merges WHERE merged_id = ANY($1) OR survivor_id = ANY($1)');
    await run('events', 'DELETE FROM events WHERE contact_id = ANY($1)');
    // The audit log keeps its entries (append-only), no longer naming the person.
    await run('auditLinks', 'DELETE FROM audit_contacts WHERE contact_id = ANY($1)');
    await tx.query('UPDATE contacts SET merged_into = NULL WHERE id = ANY($1)', [ids]);
    await run('contacts', 'DELETE FROM contacts WHERE id = ANY($1)');
    return { counts, enrollments: ended.rows.map((r) => ({ id: r.id, wasActive: r.was_active })), files };
  });
}

/**
 * Deletes runs' workflows in Temporal (a running one is terminated first) with their
 * histories, since signals carried the person's events. Returns how many went; throws
 * when Temporal refused any, after trying them all.
 */
async function deleteWorkflows(client: Client, runs: { id: string; wasActive: boolean }[], counts: Record<string, number>, log?: Log): Promise<void> {
  let failed: unknown;
  await Promise.all(runs.map(async ({ id, wasActive }) => {
    const workflowId = workflowIdOf(id);
    try {
      await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId } });
      counts.workflowHistoriesDeleted!++;
      if (wasActive) counts.workflowsTerminated!++;
    } catch (err) {
      if ((err as { code?: number }).code === 5 /* NOT_FOUND: never started, or gone already */) return;
      log?.warn('erasure: workflow not deleted', { workflowId, err });
      failed ??= err;
    }
  }));
  if (failed) throw new EngineProblem('unavailable', 'Temporal did not delete the contact\'s runs; nothing was erased yet, try again', [], { cause: failed });
}

/**
 * Erases a contact; undefined when there is no such contact. Temporal first: when it
 * cannot delete the runs, the contact stays (with its runs ended) and the call can be
 * repeated; once the rows are deleted there is nothing left to find the runs by.
 *
 *   const erasure = await eraseContact({ db, temporal: client }, contactId);   // { erasureId, erasedAt, counts }
 */
export async function eraseContact(deps: ErasureDeps, contactId: string): Promise<Erasure | undefined> {
  const { db } = deps;
  const first = await personIds(db, contactId);
  if (!first.length) return undefined;
  const counts: Record<string, number> = { workflowsTerminated: 0, workflowHistoriesDeleted: 0 };
  // Runs end now: one between two steps finds its enrollment over and stops.
  const ended = await db.query("UPDATE enrollments SET status = 'exited', exit_reason = 'erased', ended_at = now() WHERE contact_id = ANY($1) AND status = 'active'", [first]);
  const runs = (await db.query<{ id: string; erased: boolean }>("SELECT id, exit_reason IS NOT DISTINCT FROM 'erased' AS erased FROM enrollments WHERE contact_id = ANY($1)", [first])).rows;
  if (deps.temporal) await deleteWorkflows(deps.temporal, runs.map((r) => ({ id: r.id, wasActive: r.erased })), counts, deps.log);

  let erased: Awaited<ReturnType<typeof eraseRows>> | undefined;
  for (let attempt = 1; !erased; attempt++) {
    const ids = await personIds(db, contactId);
    if (!ids.length) return undefined; // erased by a concurrent call
    try {
      erased = await eraseRows(db, ids);
    } catch (err) {
      // An event or merge stored for the person while erasing (a foreign key now
      // refuses the delete): erase again, with it.
      if ((err as { code?: string }).code !== '23503' || attempt >= 3) throw err;
    }
  }
  Object.assign(counts, erased.counts, { enrollmentsEnded: (ended.rowCount ?? 0) + (erased.counts.enrollmentsEnded ?? 0) });
  // After the commit: the rows that named the files are gone for good. A file already gone is fine.
  counts.filesDeleted = 0;
  for (const file of erased.files) {
    try { fs.unlinkSync(file); counts.filesDeleted++; } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') deps.log?.warn('erasure: file not deleted', { file, err }); }
  }
  // Runs the dispatcher started while Temporal was being called: best effort (they stop at their next step anyway).
  const known = new Set(runs.map((r) => r.id));
  const late = erased.enrollments.filter((e) => !known.has(e.id));
  if (deps.temporal && late.length) await deleteWorkflows(deps.temporal, late, counts, deps.log).catch(() => undefined);

  const { rows } = await db.query<{ id: string; erased_at: Date }>('INSERT INTO erasures (counts) VALUES ($1) RETURNING id, erased_at', [JSON.stringify(counts)]);
  deps.log?.info('contact erased', { erasureId: rows[0]!.id, counts });
  return { erasureId: String(rows[0]!.id), erasedAt: rows[0]!.erased_at.toISOString(), counts };
}
