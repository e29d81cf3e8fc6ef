// The messaging policy on the Settings screen: the consent model per channel, frequency
// caps across all programs, sending ceilings per channel, quiet hours and the time zone for contacts without one
// (GET / PUT /api/messaging-policy; engine/delivery/channel-policy.ts decides each send).
// Hand-written rather than generated from the schema: quiet hours read best as two
// time inputs and caps as sentences ("at most 3 emails per 7 days").
import { useEffect, useState } from 'react';
import { api, problemText, session } from '../api.js';
import { DURATION_UNITS, joinDuration, splitDuration, type DurationUnit } from '../model/duration.js';
import { useToast } from './toast.js';

type Channel = 'email' | 'sms';
interface Policy {
  consent: Record<Channel, 'opt-out' | 'opt-in'>;
  caps: { channel: Channel; max: number; per: string }[];
  quietHours?: { start: string; end: string; channels: Channel[] };
  defaultTimezone: string;
  ceilings?: { channel: Channel; max: number; per: string }[];
}
const CHANNELS: [Channel, string][] = [['email', 'Email'], ['sms', 'SMS']];
const message = (e: unknown) => problemText(e, { paths: true });
/** The browser's own list of IANA zones, when it has one. */
const ZONES: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];

export function MessagingPolicyForm() {
  const toast = useToast();
  const [policy, setPolicy] = useState<Policy>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const may = session.may('settings');
  useEffect(() => { api<Policy>('GET', '/api/messaging-policy').then(setPolicy, (e) => setError(message(e))); }, []);
  if (!policy) return <section aria-label="Messaging policy"><h2 className="section-title">Messaging policy</h2>{error ? <p className="error" role="alert">{error}</p> : <p className="muted">Loading…</p>}</section>;

  const set = (p: Partial<Policy>) => setPolicy({ ...policy, ...p });
  const setCap = (i: number, c: Partial<Policy['caps'][number]>) => set({ caps: policy.caps.map((x, j) => (j === i ? { ...x, ...c } : x)) });
  const ceilings = policy.ceilings ?? [];
  const setCeiling = (i: number, c: Partial<Policy['caps'][number]>) => set({ ceilings: ceilings.map((x, j) => (j === i ? { ...x, ...c } : x)) });
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      setPolicy(await api<Policy>('PUT', '/api/messaging-policy', policy));
      toast('Messaging policy saved', 'success');
    } catch (err) { setError(message(err)); } finally { setBusy(false); }
  };

  return (
    <section aria-label="Messaging policy">
      <h2 className="section-title">Messaging policy</h2>
      <p className="muted small">Holds for every marketing message of every program; messages marked as not marketing (a receipt, a password reset) pass.</p>
      <form className="policy" onSubmit={(e) => void save(e)}>
        <fieldset disabled={!may}>
          <legend>Consent</legend>
          {CHANNELS.map(([c, label]) => (
            <label key={c} className="field"><span className="field-label">{label}</span>
              <select aria-label={`${label} consent`} value={policy.consent[c]} onChange={(e) => set({ consent: { ...policy.consent, [c]: e.target.value as 'opt-in' | 'opt-out' } })}>
                <option value="opt-out">opt-out: send unless they said no</option>
                <option value="opt-in">opt-in: send only when they said yes</option>
              </select>
            </label>
          ))}
        </fieldset>
        <fieldset disabled={!may}>
          <legend>Frequency caps</legend>
          {policy.caps.length === 0 && <p className="muted small">No cap: a contact in several programs may get a message from each.</p>}
          {policy.caps.map((cap, i) => (
            <RateRow key={i} name="Cap" n={i + 1} rate={cap} maxMessages={1000} units={DURATION_UNITS.filter((u) => u !== 'seconds')} fallback={{ amount: 7, unit: 'days' }}
              onChange={(x) => setCap(i, x)} onRemove={() => set({ caps: policy.caps.filter((_, j) => j !== i) })} />
          ))}
          <span><button type="button" onClick={() => set({ caps: [...policy.caps, { channel: 'email', max: 3, per: '7 days' }] })} disabled={policy.caps.length >= 20}>+ Cap</button></span>
        </fieldset>
        <fieldset disabled={!may}>
          <legend>Sending ceilings</legend>
          {ceilings.length === 0 && <p className="muted small">No ceiling: every program sends as fast as it runs.</p>}
          {ceilings.map((c, i) => (
            <RateRow key={i} name="Ceiling" n={i + 1} rate={c} maxMessages={1000000} units={DURATION_UNITS} fallback={{ amount: 1, unit: 'minutes' }} note="from all programs together; the rest queue"
              onChange={(x) => setCeiling(i, x)} onRemove={() => set({ ceilings: ceilings.filter((_, j) => j !== i) })} />
          ))}
          <span><button type="button" onClick={() => set({ ceilings: [...ceilings, { channel: 'email', max: 600, per: '1 minute' }] })} disabled={ceilings.length >= 4}>+ Ceiling</button></span>
        </fieldset>
        <fieldset disabled={!may}>
          <legend>Quiet hours</legend>
          <label className="check"><input type="checkbox" checked={Boolean(policy.quietHours)} onChange={(e) => set({ quietHours: e.target.checked ? { start: '21:00', end: '08:00', channels: ['sms'] } : undefined })} /> No marketing messages at night, in the contact's time: they wait until the end</label>
          {policy.quietHours && (
            <div className="row-inline">
              <label>From <input type="time" aria-label="Quiet from" value={policy.quietHours.start} onChange={(e) => set({ quietHours: { ...policy.quietHours!, start: e.target.value } })} /></label>
              <label>until <input type="time" aria-label="Quiet until" value={policy.quietHours.end} onChange={(e) => set({ quietHours: { ...policy.quietHours!, end: e.target.value } })} /></label>
              {CHANNELS.map(([c, label]) => (
                <label key={c} className="check"><input type="checkbox" checked={policy.quietHours!.channels.includes(c)}
                  onChange={(e) => set({ quietHours: { ...policy.quietHours!, channels: e.target.checked ? [...policy.quietHours!.channels, c] : policy.quietHours!.channels.filter((x) => x !== c) } })} /> {label}</label>
              ))}
            </div>
          )}
        </fieldset>
        <fieldset disabled={!may}>
          <legend>Time zone</legend>
          <label className="field"><span className="field-label">For contacts whose time zone is unknown</span>
            <input value={policy.defaultTimezone} list="policy-zones" onChange={(e) => set({ defaultTimezone: e.target.value })} />
            <datalist id="policy-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
          </label>
        </fieldset>
        {error && <p className="error" role="alert">{error}</p>}
        {may && <div><button className="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save the policy'}</button></div>}
      </form>
    </section>
  );
}

type Rate = { channel: Channel; max: number; per: string };

/** "At most N email messages per 7 days": a cap's or a ceiling's row, its inputs labelled "Cap 1: messages" and so on. */
function RateRow({ name, n, rate, maxMessages, units, fallback, note, onChange, onRemove }: {
  name: string; n: number; maxMessages: number; rate: Rate; units: readonly DurationUnit[]; fallback: { amount: number; unit: DurationUnit }; note?: string;
  onChange: (r: Partial<Rate>) => void; onRemove: () => void;
}) {
  const per = splitDuration(rate.per) ?? { ...fallback, negative: false };
  const label = `${name} ${n}`;
  return (
    <div className="row-inline" role="group" aria-label={label} data-testid={`${name.toLowerCase()}-row`}>
      <span>At most</span>
      <input type="number" min={1} max={maxMessages} aria-label={`${label}: messages`} value={rate.max} onChange={(e) => onChange({ max: Number(e.target.value) })} />
      <select aria-label={`${label}: channel`} value={rate.channel} onChange={(e) => onChange({ channel: e.target.value as Channel })}>
        {CHANNELS.map(([c, l]) => <option key={c} value={c}>{l.toLowerCase()} messages</option>)}
      </select>
      <span>per</span>
      <input type="number" min={1} aria-label={`${label}: period`} value={per.amount} onChange={(e) => onChange({ per: joinDuration({ ...per, amount: Math.max(1, Number(e.target.value)) }) })} />
      <select aria-label={`${label}: period unit`} value={per.unit} onChange={(e) => onChange({ per: joinDuration({ ...per, unit: e.target.value as DurationUnit }) })}>
        {units.map((u) => <option key={u} value={u}>{u}</option>)}
      </select>
      {note && <span className="muted small">{note}</span>}
      <button type="button" aria-label={`Remove ${name.toLowerCase()} ${n}`} onClick={onRemove}>×</button>
    </div>
  );
}
