// Lead scoring: the rules that turn events into points ("signed up: +10", "visited
// pricing: +5, at most 15 a day", "unsubscribed: -20"), each with an optional condition
// on the event, a cap per period and a decay; a check of what a contact's score would
// be after an event; and the lifecycle stages with their funnel. Changing rules and
// stages is a setting (admins); everyone may read them.
import { useCallback, useEffect, useState } from 'react';
import { api, problemText, session } from '../api.js';
import { DURATION_UNITS, joinDuration, splitDuration, type DurationUnit } from '../model/duration.js';
import { ConditionBuilder } from './ConditionBuilder.js';
import { ScoreCheck } from './ScoreCheck.js';
import { StageFunnel } from './StageFunnel.js';
import { Dialog } from './Dialog.js';
import { ago, when } from './format.js';
import { TopBar } from './TopBar.js';
import { useToast } from './toast.js';
import { useCatalogue } from './useCatalogue.js';

interface Rule { id: string; name: string; eventType: string; where?: unknown; points: number; cap?: { points: number; per: string }; expiresAfter?: string; active: boolean; createdAt: string; updatedAt: string }
type Draft = Omit<Rule, 'id' | 'createdAt' | 'updatedAt'> & { id?: string };

const message = (e: unknown) => problemText(e, { paths: true });
const EMPTY: Draft = { name: '', eventType: '', points: 10, active: true };

export function ScoringPage() {
  const toast = useToast();
  const [rules, setRules] = useState<Rule[]>();
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<Draft>();
  const [deleting, setDeleting] = useState<Rule>();
  const may = session.may('settings');
  const load = useCallback(() => { api<{ rules: Rule[] }>('GET', '/api/scoring-rules').then((r) => setRules(r.rules), (e) => setError(message(e))); }, []);
  useEffect(() => { document.title = 'Scoring · Tend'; load(); }, [load]);
  const toggle = async (r: Rule) => {
    const { id: _i, createdAt: _c, updatedAt: _u, ...input } = r;
    try { await api('PUT', `/api/scoring-rules/${r.id}`, { ...input, active: !r.active }); load(); } catch (e) { toast(message(e), 'error'); }
  };

  return (
    <div className="page">
      <TopBar current="scoring" title="Scoring">
        {may && <button className="primary" onClick={() => setEditing({ ...EMPTY })}>New rule</button>}
      </TopBar>
      <main className="programs">
        <p className="muted small">A contact's lead score is the sum of what these rules gave them for their events. Programs start at a threshold ("Score reaches") and conditions read <code>contact.score</code>.{!may && ` A ${session.person()?.role ?? 'viewer'} reads the rules; admins change them.`}</p>
        {error ? <p className="error" role="alert">{error}</p> : !rules ? <p className="muted">Loading…</p> : rules.length === 0 ? (
          <div className="empty"><h2>No scoring rules yet</h2><p className="muted">Give points for the events that show interest, take some for the ones that show less.</p></div>
        ) : (
          <table className="table" aria-label="Scoring rules">
            <thead><tr><th>Rule</th><th>When</th><th className="num">Points</th><th>At most</th><th>Taken back after</th><th>On</th><th>Changed</th><th aria-label="Actions" /></tr></thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id} data-testid="rule-row" data-name={r.name}>
                  <td>{r.name}</td>
                  <td><code>{r.eventType}</code>{r.where ? <span className="muted small"> · with a condition</span> : null}</td>
                  <td className={`num ${r.points < 0 ? 'error' : ''}`}>{r.points > 0 ? `+${r.points}` : r.points}</td>
                  <td>{r.cap ? `${r.cap.points} per ${r.cap.per}` : '—'}</td>
                  <td>{r.expiresAfter ?? 'never'}</td>
                  <td><input type="checkbox" aria-label={`${r.name} is on`} checked={r.active} disabled={!may} onChange={() => void toggle(r)} /></td>
                  <td title={when(r.updatedAt)}>{ago(r.updatedAt)}</td>
                  <td className="actions">{may && <><button onClick={() => setEditing({ ...r })}>Edit</button><button className="danger" onClick={() => setDeleting(r)}>Delete</button></>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ScoreCheck />
        <StageFunnel />
      </main>
      {editing && <RuleDialog draft={editing} onClose={() => setEditing(undefined)} onSaved={(r) => { setEditing(undefined); toast(`Saved “${r.name}”`, 'success'); load(); }} />}
      {deleting && (
        <Dialog title={`Delete “${deleting.name}”?`} onClose={() => setDeleting(undefined)}>
          <p>No more points from it. Points it already gave stay (their decay still takes them back).</p>
          <div className="dialog-actions"><button onClick={() => setDeleting(undefined)}>Cancel</button>
            <button className="danger primary" onClick={async () => { try { await api('DELETE', `/api/scoring-rules/${deleting.id}`); } catch (e) { toast(message(e), 'error'); } setDeleting(undefined); load(); }}>Delete</button></div>
        </Dialog>
      )}
    </div>
  );
}

function DurationInput({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const parts = splitDuration(value) ?? { amount: 0, unit: 'days' as DurationUnit, negative: false };
  return (
    <span className="duration-input" role="group" aria-label={label}>
      <input type="number" min={0} aria-label={`${label}: amount`} value={value ? parts.amount : ''} placeholder="—" onChange={(e) => onChange(e.target.value === '' || Number(e.target.value) <= 0 ? undefined : joinDuration({ ...parts, amount: Number(e.target.value) }))} />
      <select aria-label={`${label}: unit`} value={parts.unit} onChange={(e) => onChange(value ? joinDuration({ ...parts, unit: e.target.value as DurationUnit }) : undefined)}>
        {DURATION_UNITS.filter((u) => u !== 'seconds').map((u) => <option key={u} value={u}>{u}</option>)}
      </select>
    </span>
  );
}

function RuleDialog({ draft, onClose, onSaved }: { draft: Draft; onClose: () => void; onSaved: (r: Rule) => void }) {
  const [d, setD] = useState<Draft>(draft);
  const [withCondition, setWithCondition] = useState(Boolean(draft.where));
  const [error, setError] = useState('');
  const catalogue = useCatalogue();
  const save = async () => {
    setError('');
    const { id, ...rest } = d;
    const body = { name: rest.name, eventType: rest.eventType, points: rest.points, active: rest.active,
      ...(withCondition && rest.where ? { where: rest.where } : {}), ...(rest.cap ? { cap: rest.cap } : {}), ...(rest.expiresAfter ? { expiresAfter: rest.expiresAfter } : {}) };
    try { onSaved(await api<Rule>(id ? 'PUT' : 'POST', id ? `/api/scoring-rules/${id}` : '/api/scoring-rules', body)); } catch (e) { setError(message(e)); }
  };
  return (
    <Dialog title={d.id ? `Edit “${draft.name}”` : 'New scoring rule'} onClose={onClose} wide>
      <div className="rule-form">
        <label className="field"><span className="field-label">Name</span><input value={d.name} maxLength={200} placeholder="Visited pricing" onChange={(e) => setD({ ...d, name: e.target.value })} /></label>
        <label className="field"><span className="field-label">Event type</span>
          <input value={d.eventType} list="rule-event-types" placeholder="page_view" onChange={(e) => setD({ ...d, eventType: e.target.value })} />
          <datalist id="rule-event-types">{(catalogue?.events ?? []).map((e) => <option key={e.type} value={e.type} />)}</datalist>
        </label>
        <label className="field"><span className="field-label">Points</span><input type="number" value={d.points} min={-10000} max={10000} onChange={(e) => setD({ ...d, points: Number(e.target.value) })} /></label>
        <div className="field"><span className="field-label">At most</span>
          <span className="row-inline">
            <input type="number" min={1} aria-label="Cap: points" placeholder="no cap" value={d.cap?.points ?? ''} onChange={(e) => setD({ ...d, cap: e.target.value ? { points: Number(e.target.value), per: d.cap?.per ?? '1 day' } : undefined })} />
            <span className="muted">points per</span>
            <DurationInput label="Cap period" value={d.cap?.per} onChange={(per) => setD({ ...d, cap: d.cap && per ? { ...d.cap, per } : d.cap })} />
          </span>
        </div>
        <div className="field"><span className="field-label">Taken back after (decay)</span><DurationInput label="Decay" value={d.expiresAfter} onChange={(v) => setD({ ...d, expiresAfter: v })} /></div>
        <label className="check"><input type="checkbox" checked={withCondition} onChange={(e) => { setWithCondition(e.target.checked); if (e.target.checked && !d.where) setD({ ...d, where: { all: [] } }); }} /> Only when a condition holds for the event</label>
        {withCondition && <ConditionBuilder id="rule-where" value={d.where ?? { all: [] }} onChange={(where) => setD({ ...d, where })} readOnly={false} problems={[]} />}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="dialog-actions"><button onClick={onClose}>Cancel</button><button className="primary" onClick={() => void save()} disabled={!d.name.trim() || !d.eventType.trim()}>Save</button></div>
    </Dialog>
  );
}
