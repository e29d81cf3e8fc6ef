// Lifecycle stages on the Scoring screen: the funnel (contacts that reached each stage,
// and how many of the stage before went on) and, for those who may change settings,
// the ordered list itself. A contact's stage is its `stage` attribute, set by the
// "Set stage" node, an import or the API.
import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, problemText, session } from '../api.js';
import { forgetCatalogue } from './useCatalogue.js';
import { useToast } from './toast.js';

interface Funnel { stages: { stage: string; contacts: number; reached: number }[]; elsewhere: { stage: string; contacts: number }[]; none: number }

const count = (n: number) => n.toLocaleString('en');
const message = (e: unknown) => problemText(e, { paths: true });

export function StageFunnel() {
  const toast = useToast();
  const [funnel, setFunnel] = useState<Funnel>();
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<string[]>();
  const [problem, setProblem] = useState('');
  const may = session.may('settings');
  const load = useCallback(() => { api<Funnel>('GET', '/api/stages/funnel').then(setFunnel, (e) => setError(message(e))); }, []);
  useEffect(load, [load]);

  const save = async () => {
    setProblem('');
    try {
      await api('PUT', '/api/stages', { stages: editing!.map((s) => s.trim()) });
      setEditing(undefined);
      forgetCatalogue(); // the Set stage node offers the new list
      toast('Stages saved', 'success');
      load();
    } catch (e) { setProblem(message(e)); }
  };
  const move = (i: number, by: number) => setEditing((list) => {
    const next = [...list!];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    return next;
  });

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!funnel) return <p className="muted">Loading…</p>;
  const rows = funnel.stages.map((s, i) => {
    const before = i > 0 ? funnel.stages[i - 1]!.reached : 0;
    return { ...s, label: s.stage, onward: i > 0 && before > 0 ? Math.round((s.reached / before) * 100) : null };
  });
  return (
    <section aria-label="Lifecycle stages">
      <div className="section-head">
        <h2 className="section-title">Lifecycle stages</h2>
        {may && !editing && <button onClick={() => setEditing(funnel.stages.map((s) => s.stage))}>Edit stages</button>}
      </div>
      <p className="muted small">A contact's stage is its <code>stage</code> attribute ("Set stage" in a program, an import or the API). A bar counts the contacts at that stage or a later one, as if contacts only move forward; the percentage is how many of the stage before went on.</p>
      {editing ? (
        <div className="stage-editor" role="group" aria-label="Stages, first to last">
          <ol>
            {editing.map((s, i) => (
              <li key={i} className="row-inline">
                <input aria-label={`Stage ${i + 1}`} value={s} maxLength={40} onChange={(e) => setEditing(editing.map((x, j) => (j === i ? e.target.value : x)))} />
                <button aria-label={`Move stage ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button aria-label={`Move stage ${i + 1} down`} disabled={i === editing.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button aria-label={`Remove stage ${i + 1}`} disabled={editing.length === 1} onClick={() => setEditing(editing.filter((_, j) => j !== i))}>Remove</button>
              </li>
            ))}
          </ol>
          <div className="row-inline">
            <button onClick={() => setEditing([...editing, ''])} disabled={editing.length >= 20}>+ Stage</button>
            <span className="spacer" />
            <button onClick={() => { setEditing(undefined); setProblem(''); }}>Cancel</button>
            <button className="primary" onClick={() => void save()} disabled={editing.some((s) => !s.trim())}>Save stages</button>
          </div>
          {problem && <p className="error" role="alert">{problem}</p>}
        </div>
      ) : (
        <div className="funnel">
          <figure aria-label="Funnel of lifecycle stages" data-testid="chart-funnel">
            <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 40)}>
              <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 48, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} fontSize={12} />
                <YAxis type="category" dataKey="label" width={110} fontSize={12} />
                <Tooltip formatter={(v) => count(Number(v))} />
                <Bar dataKey="reached" name="Reached" fill="#2563eb" isAnimationActive={false}>
                  <LabelList dataKey="reached" position="right" fontSize={12} />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <table className="table compact" aria-label="Contacts per stage">
            <thead><tr><th>Stage</th><th className="num">Now at it</th><th className="num">Reached</th><th className="num">Went on from the stage before</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.stage} data-testid="stage-row" data-stage={r.stage}>
                  <td>{r.stage}</td><td className="num" data-testid="stage-now">{count(r.contacts)}</td><td className="num">{count(r.reached)}</td><td className="num">{r.onward === null ? '—' : `${r.onward} %`}</td>
                </tr>
              ))}
              {funnel.elsewhere.map((r) => (
                <tr key={`other-${r.stage}`} className="muted" title="A stage not in the list: add it to the list to give it a place in the funnel">
                  <td>{r.stage} <span className="small">(not in the list)</span></td><td className="num">{count(r.contacts)}</td><td /><td />
                </tr>
              ))}
              <tr className="muted"><td>No stage yet</td><td className="num" data-testid="stage-none">{count(funnel.none)}</td><td /><td /></tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
