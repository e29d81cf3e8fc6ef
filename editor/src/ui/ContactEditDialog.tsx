// Editing a contact by hand from the profile: phone, time zone, tags and attributes
// (PUT /api/contacts, as the API would; the change lands in the contact's history with
// who made it). Email and external id name the contact and are not edited here: a
// changed address comes from the contact (a form, the preference page) or the API.
import { useState } from 'react';
import { api, problemText, type Contact } from '../api.js';
import { formatValue } from '../model/summary.js';
import { Dialog } from './Dialog.js';

interface Row { name: string; value: string; original?: unknown }

const message = (e: unknown) => problemText(e, { paths: true });
/** What was typed, as the attribute's value: numbers and true/false as such, else text; a value left as it was keeps its type. */
function valueOf(row: Row): unknown {
  if (row.original !== undefined && row.value === formatValue(row.original)) return row.original;
  const v = row.value.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  // Only what reads back the same ("01234" and long ids stay text).
  if (v !== '' && String(Number(v)) === v) return Number(v);
  return row.value;
}

export function ContactEditDialog({ contact, onClose, onSaved }: { contact: Contact; onClose: () => void; onSaved: (c: Contact) => void }) {
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [timezone, setTimezone] = useState(contact.timezone ?? '');
  const [tags, setTags] = useState(contact.tags.join(', '));
  const [rows, setRows] = useState<Row[]>(Object.entries(contact.attributes).sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => ({ name, value: formatValue(v), original: v })));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const setRow = (i: number, r: Partial<Row>) => setRows(rows.map((x, j) => (j === i ? { ...x, ...r } : x)));

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const kept = rows.filter((r) => r.name.trim());
    const attributes: Record<string, unknown> = Object.fromEntries(kept.map((r) => [r.name.trim(), valueOf(r)]));
    // An attribute removed from the list is removed from the contact (null removes one).
    for (const name of Object.keys(contact.attributes)) if (!(name in attributes)) attributes[name] = null;
    try {
      onSaved(await api<Contact>('PUT', '/api/contacts', {
        contactId: contact.id,
        phone: phone.trim() || null,
        timezone: timezone.trim() || null,
        tags: [...new Set(tags.split(',').map((t) => t.trim()).filter(Boolean))],
        attributes,
      }));
    } catch (err) { setError(message(err)); setBusy(false); }
  };

  return (
    <Dialog title={`Edit ${contact.email ?? contact.externalId ?? 'contact'}`} onClose={onClose} wide>
      <form className="contact-edit" onSubmit={(e) => void save(e)}>
        <label className="field"><span className="field-label">Phone</span><input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+49 30 1234567" /></label>
        <label className="field"><span className="field-label">Time zone</span><input value={timezone} onChange={(e) => setTimezone(e.target.value)} placeholder="Europe/Berlin" /></label>
        <label className="field"><span className="field-label">Tags (comma between)</span><input value={tags} onChange={(e) => setTags(e.target.value)} /></label>
        <div className="field"><span className="field-label">Attributes</span>
          {rows.map((r, i) => (
            <span key={i} className="row-inline" data-testid="attribute-row">
              <input aria-label={`Attribute ${i + 1}: name`} value={r.name} readOnly={r.original !== undefined} onChange={(e) => setRow(i, { name: e.target.value })} />
              <input aria-label={`Attribute ${i + 1}: value`} value={r.value} onChange={(e) => setRow(i, { value: e.target.value })} />
              <button type="button" aria-label={`Remove attribute ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>×</button>
            </span>
          ))}
          <span><button type="button" onClick={() => setRows([...rows, { name: '', value: '' }])}>+ Attribute</button></span>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="dialog-actions"><button type="button" onClick={onClose}>Cancel</button><button className="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button></div>
      </form>
    </Dialog>
  );
}
