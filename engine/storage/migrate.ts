// Applies the SQL files in ./migrations in name order, each once, under an advisory
// lock so several processes starting together do not race.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transaction, type Db } from './db.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrate(db: Db): Promise<string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return transaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7346501)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.query(fs.readFileSync(path.join(dir, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/** Migration files not yet applied to this database (for readiness: a server on an old schema is not ready). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations').catch((err) => {
    if ((err as { code?: string }).code === '42P01') return { rows: [] }; // never migrated
    throw err;
  });
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}
