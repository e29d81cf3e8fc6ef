// The report an import prints: counts per outcome, then every rejected line with why.
export interface Rejection { line: number; reasons: string[] }

export function printReport(what: string, total: number, counts: [string, number][], rejected: Rejection[], out: NodeJS.WriteStream = process.stdout): void {
  const n = (x: number) => x.toLocaleString('en');
  out.write(`${what}: ${n(total)} ${total === 1 ? 'row' : 'rows'} — ${counts.map(([k, v]) => `${n(v)} ${k}`).join(', ')}, ${n(rejected.length)} rejected\n`);
  if (!rejected.length) return;
  out.write('Rejected (nothing of these rows was stored):\n');
  for (const r of [...rejected].sort((a, b) => a.line - b.line)) out.write(`  line ${r.line}: ${r.reasons.join('; ')}\n`);
}
