// A contact's personal data on request: everything Tend holds about them as one JSON
// document, and erasure — their runs ended (workflows terminated and their histories
// deleted, since signals carry event data), every row that names them deleted, and a
// record of the erasure that names no one. Anonymous contacts merged into the person
// are the same person: they go too.
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { endActiveRuns, erasePersonRows, personIds, personRows, recordErasure, runsOf } from '../storage/personal-data.js';
import { workflowIdOf } from '../temporal/workflows.js';
import type { Log } from '../ops/log.js';
import { EngineProblem } from '../ops/errors.js';

/** Everything about a contact, or undefined when there is no such contact. */
export async function exportContact(db: Db, contactId: string): Promise<Record<string, unknown> | undefined> {
  const ids = await personIds(db, contactId);
  if (!ids.length) return undefined;
  const { contacts, identities, events, messages, enrollments, segments, scoreAwards, rfmPurchases, merges, dateSchedules } = await personRows(db, ids);
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
  const { counts, enrollments, sent } = await transaction(db, (tx) => erasePersonRows(tx, ids));
  // Without SMTP or an SMS provider, sends were written as files naming the person (engine/delivery/mailer.ts, engine/delivery/sms.ts).
  const files = sent.map((m) => (m.channel === 'email' ? /^written to (.+\.eml)$/.exec(m.response?.response ?? '')?.[1] : m.response?.file)).filter((f): f is string => typeof f === 'string' && /\.(eml|json)$/.test(f));
  return { counts, enrollments, files };
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
  const ended = await endActiveRuns(db, first);
  const runs = await runsOf(db, first);
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
  Object.assign(counts, erased.counts, { enrollmentsEnded: ended + (erased.counts.enrollmentsEnded ?? 0) });
  // After the commit: the rows that named the files are gone for good. A file already gone is fine.
  counts.filesDeleted = 0;
  for (const file of erased.files) {
    try { fs.unlinkSync(file); counts.filesDeleted++; } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') deps.log?.warn('erasure: file not deleted', { file, err }); }
  }
  // Runs the dispatcher started while Temporal was being called: best effort (they stop at their next step anyway).
  const known = new Set(runs.map((r) => r.id));
  const late = erased.enrollments.filter((e) => !known.has(e.id));
  if (deps.temporal && late.length) await deleteWorkflows(deps.temporal, late, counts, deps.log).catch(() => undefined);

  const record = await recordErasure(db, counts);
  deps.log?.info('contact erased', { erasureId: record.id, counts });
  return { erasureId: String(record.id), erasedAt: record.erased_at.toISOString(), counts };
}
