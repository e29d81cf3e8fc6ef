// Readable, unique ids for new nodes and edges ("email_2", "e14"), so exported
// documents stay easy to read and diff.

/** The first `base`, `base_2`, `base_3`, … not in `taken`. */
export function freshId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/_\d+$/, '').slice(0, 56) || 'node';
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) {
    const id = `${clean}_${i}`;
    if (!taken.has(id)) return id;
  }
}

/** "tend.action.email" → "email", "acme.crm.create-task" → "create_task". */
export function baseIdForType(typeId: string): string {
  const last = typeId.split('.').pop() ?? 'node';
  return last.replace(/-/g, '_');
}

/** The next free edge id of the form e1, e2, … */
export function freshEdgeId(taken: Set<string>): string {
  let max = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  let n = max + 1;
  while (taken.has(`e${n}`)) n++;
  return `e${n}`;
}
