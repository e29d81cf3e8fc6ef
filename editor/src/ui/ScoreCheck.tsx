// "What would this contact's score be?": a contact and an event as if it happened now;
// Tend applies the rules in force (conditions and caps) and writes nothing
// (POST /api/scoring-rules/check). For trying a rule before trusting it.
import { useState } from 'react';
import { api, problemText } from '../api.js';
import { useCatalogue } from './useCatalogue.js';

interface Check { score: number; scoreAfter: number; rules: { id: string; name: string; points: number; why?: string }[] }
interface Property { name: string; value: string }

const message = (e: unknown) => problemText(e);
/** A property's value as typed: numbers and true/false as such, anything else as text. */
const typed = (v: string): unknown => (v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function ScoreCheck() {
  const catalogue = useCatalogue();
  const [email, setEmail] = useState('');
  const [eventType, setEventType] = useState('');
  const [properties, setProperties] = useState<Property[]>([]);
  const [result, setResult] = useState<Check>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const known = catalogue?.events.find((e) => e.type === eventType)?.properties ?? [];

  const check = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setResult(undefined);
    try {
      const props = Object.fromEntries(properties.filter((p) => p.name.trim()).map((p) => [p.name.trim(), typed(p.value)]));
      setResult(await api<Check>('POST', '/api/scoring-rules/check', { email: email.trim(), eventType: eventType.trim(), properties: props }));
    } catch (err) { setError(message(err)); } finally { setBusy(false); }
  };
  const setProperty = (i: number, p: Partial<Property>) => setProperties(properties.map((x, j) => (j === i ? { ...x, ...p } : x)));

  return (
    <section aria-label="Score check">
      <h2 className="section-title">What would a contact's score be?</h2>
      <form className="score-check" onSubmit={(e) => void check(e)}>
        <label className="field"><span className="field-label">Contact's email</span>
          <input type="email" value={email} required placeholder="ada@example.com" onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field"><span className="field-label">After the event</span>
          <input value={eventType} required list="check-event-types" placeholder="page_view" onChange={(e) => setEventType(e.target.value)} />
          <datalist id="check-event-types">{(catalogue?.events ?? []).map((ev) => <option key={ev.type} value={ev.type} />)}</datalist>
        </label>
        <div className="field"><span className="field-label">With the properties</span>
          {properties.map((p, i) => (
            <span key={i} className="row-inline">
              <input aria-label={`Property ${i + 1}: name`} value={p.name} list="check-properties" placeholder="path" onChange={(e) => setProperty(i, { name: e.target.value })} />
              <input aria-label={`Property ${i + 1}: value`} value={p.value} placeholder="/pricing" onChange={(e) => setProperty(i, { value: e.target.value })} />
              <button type="button" aria-label={`Remove property ${i + 1}`} onClick={() => setProperties(properties.filter((_, j) => j !== i))}>×</button>
            </span>
          ))}
          <datalist id="check-properties">{known.map((p) => <option key={p.path} value={p.path.slice('event.properties.'.length)} />)}</datalist>
          <span><button type="button" onClick={() => setProperties([...properties, { name: '', value: '' }])}>+ Property</button></span>
        </div>
        <div><button className="primary" type="submit" disabled={busy}>{busy ? 'Checking…' : 'Check'}</button></div>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <div className="score-result" role="status" aria-label="Score check result">
          <p><strong data-testid="score-now">{result.score}</strong> now → <strong data-testid="score-after">{result.scoreAfter}</strong> after this event <span className="muted small">(nothing was written; decay not counted)</span></p>
          {result.rules.length === 0 ? <p className="muted">No rule in force scores <code>{eventType}</code>.</p> : (
            <table className="table compact" aria-label="Rules for this event">
              <thead><tr><th>Rule</th><th className="num">Points</th><th>Why</th></tr></thead>
              <tbody>{result.rules.map((r) => <tr key={r.id} data-testid="check-rule" data-name={r.name}><td>{r.name}</td><td className="num">{signed(r.points)}</td><td className="muted">{r.why ?? 'it applies'}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
