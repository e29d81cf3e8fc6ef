// "Import CSV…" on the Contacts screen: pick a file, check where each column goes (a
// guess from its header), see the first rows as they will be stored, import in
// batches with a progress bar, and read the report: created, updated, unchanged, and
// each refused row with its line and reasons. The same rules as `tend contacts import`.
import { useMemo, useState } from 'react';
import { api } from '../api.js';
import { chunks, describeProblem } from '../../../engine/audience/import-mapping.js';
import { columnAttribute, contactBodies, guessTarget, mappingProblems, readContactsCsv, type ColumnMap, type ReadResult } from '../model/contact-import.js';
import { Dialog } from './Dialog.js';
import { count } from './format.js';

const FIELDS: [string, string][] = [['', 'Skip this column'], ['email', 'Email'], ['externalId', 'External id'], ['phone', 'Phone'], ['timezone', 'Time zone'], ['tags', 'Tags (split on ; or |)']];
const TYPES: [string, string][] = [['', 'as text'], ['number', 'as a number'], ['boolean', 'as yes / no']];
const BATCH = 500;

type Answer = { results: ({ index: number; status: 'created' | 'updated' | 'unchanged' } | { index: number; status: 'rejected'; errors: { path: string; message: string }[] })[] };
interface Report { created: number; updated: number; unchanged: number; rejected: { line: number; reasons: string[] }[] }

export function ContactImport({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [file, setFile] = useState<{ name: string; read: ReadResult }>();
  const [maps, setMaps] = useState<ColumnMap[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState('');
  const planned = useMemo(() => (file ? contactBodies(file.read, maps) : undefined), [file, maps]);
  const problems = mappingProblems(maps);

  const pick = async (f: File | undefined) => {
    if (!f) return;
    const read = readContactsCsv(await f.text());
    setFile({ name: f.name, read });
    setMaps((read.columns ?? []).map((column) => ({ column, target: guessTarget(column) })));
    setReport(undefined);
  };
  const run = async () => {
    if (!planned) return;
    const result: Report = { created: 0, updated: 0, unchanged: 0, rejected: [...planned.rejected] };
    const total = planned.ready.length + planned.rejected.length;
    let done = planned.rejected.length;
    setProgress({ done, total });
    try {
      // In file order, one batch after another: when two rows name one contact, the later wins.
      for (const batch of chunks(planned.ready, BATCH, 800_000)) {
        const answer = await api<Answer>('POST', '/api/contacts/batch', { contacts: batch.map((b) => b.body) });
        for (const r of answer.results) {
          if (r.status === 'rejected') result.rejected.push({ line: batch[r.index]!.line, reasons: r.errors.map((p) => describeProblem(p, planned.fields)) });
          else result[r.status]++;
        }
        done += batch.length;
        setProgress({ done, total });
      }
    } catch (e) {
      setError(`Stopped after ${count(done)} rows: ${(e as Error).message}. The rows before were stored; importing the file again finds them unchanged.`);
    }
    result.rejected.sort((a, b) => a.line - b.line);
    setReport(result);
    onDone();
  };
  const set = (i: number, patch: Partial<ColumnMap>) => setMaps(maps.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  return (
    <Dialog title="Import contacts from a CSV file" onClose={onClose} wide>
      {!file && (
        <label className="field"><span className="field-label">CSV file (first row: the column names)</span>
          <input type="file" accept=".csv,text/csv" data-testid="import-csv" onChange={(e) => void pick(e.target.files?.[0])} />
        </label>
      )}
      {file && !report && (
        <>
          <p className="muted small">{file.name}: {count(file.read.records.length)} rows{file.read.errors.length ? `, ${file.read.errors.length} unreadable` : ''}. Where does each column go?</p>
          <table className="table compact" aria-label="Columns">
            <thead><tr><th>Column</th><th>Goes to</th><th>Read</th><th>First value</th></tr></thead>
            <tbody>{maps.map((m, i) => {
              const attribute = m.target.startsWith('attributes.');
              return (
                <tr key={m.column} data-testid="column-map">
                  <td>{m.column}</td>
                  <td>
                    <select aria-label={`“${m.column}” goes to`} value={attribute ? 'attribute' : m.target} onChange={(e) => set(i, { target: e.target.value === 'attribute' ? `attributes.${columnAttribute(m.column)}` : e.target.value, type: undefined })}>
                      {FIELDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                      <option value="attribute">An attribute…</option>
                    </select>
                    {attribute && <input aria-label={`Attribute for “${m.column}”`} className="code attr-name" value={m.target.slice('attributes.'.length)} onChange={(e) => set(i, { target: `attributes.${e.target.value}` })} />}
                  </td>
                  <td>{attribute && <select aria-label={`Read “${m.column}”`} value={m.type ?? ''} onChange={(e) => set(i, { type: (e.target.value || undefined) as ColumnMap['type'] })}>{TYPES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select>}</td>
                  <td className="muted small">{String(file.read.records[0]?.get(m.column) ?? '')}</td>
                </tr>
              );
            })}</tbody>
          </table>
          {problems.map((p) => <p key={p} className="error small" role="alert">{p}</p>)}
          {planned && problems.length === 0 && (
            <>
              <h3>The first rows, as they will be stored</h3>
              <pre className="import-preview" data-testid="import-preview">{planned.ready.slice(0, 3).map((r) => JSON.stringify(r.body)).join('\n')}</pre>
              {planned.rejected.length > 0 && <p className="error small">{count(planned.rejected.length)} row(s) will be refused (listed after the import).</p>}
            </>
          )}
          {progress && <div className="import-progress"><progress max={progress.total} value={progress.done} aria-label="Imported" /> <span className="muted small">{count(progress.done)} / {count(progress.total)}</span></div>}
          {error && <p className="error" role="alert">{error}</p>}
          <div className="dialog-actions">
            <button onClick={onClose}>Cancel</button>
            <button className="primary" disabled={problems.length > 0 || !planned?.ready.length || Boolean(progress)} onClick={() => void run()}>Import {planned ? count(planned.ready.length) : ''} contacts</button>
          </div>
        </>
      )}
      {report && (
        <div data-testid="import-report">
          <p><strong>{count(report.created)}</strong> created, <strong>{count(report.updated)}</strong> updated, <strong>{count(report.unchanged)}</strong> unchanged, <strong>{count(report.rejected.length)}</strong> refused.</p>
          {error && <p className="error" role="alert">{error}</p>}
          {report.rejected.length > 0 && (
            <table className="table compact" aria-label="Refused rows"><thead><tr><th>Line</th><th>Why</th></tr></thead>
              <tbody>{report.rejected.slice(0, 200).map((r) => <tr key={r.line}><td>{r.line}</td><td>{r.reasons.join('; ')}</td></tr>)}</tbody></table>
          )}
          <div className="dialog-actions"><button className="primary" onClick={onClose}>Done</button></div>
        </div>
      )}
    </Dialog>
  );
}
