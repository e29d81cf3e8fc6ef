// Settings an admin manages in the browser: API keys (for machines: a scope each, the
// whole key shown once, revoke), site keys (the public key of the website tracking
// snippet, with the snippet to paste), the messaging policy, and the state of the
// signing secret. Owners and admins only (the server's `admin`).
import { useCallback, useEffect, useState } from 'react';
import { api, problemText } from '../api.js';
import { Dialog } from './Dialog.js';
import { MessagingPolicyForm } from './MessagingPolicyForm.js';
import { LivePageViews } from './LivePageViews.js';
import { ago, when } from './format.js';
import { TopBar } from './TopBar.js';
import { useToast } from './toast.js';

interface ApiKey { id: string; name: string; scope: 'read' | 'write' | 'admin'; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
interface SiteKey { id: string; name: string; prefix: string; domains: string[]; createdAt: string; revokedAt: string | null; lastSeenAt: string | null; lastPage: string | null }

const SCOPES: Record<ApiKey['scope'], string> = {
  read: 'read: looks, validates and previews; changes nothing',
  write: 'write: changes programs, contacts and events; no keys, no people',
  admin: 'admin: everything, keys and people too',
};
const message = (e: unknown) => problemText(e);
const snippet = (key: string) => `<script src="${location.origin}/t.js" data-key="${key}" async></script>`;

export function SettingsPage() {
  const toast = useToast();
  const [keys, setKeys] = useState<ApiKey[]>();
  const [sites, setSites] = useState<SiteKey[]>();
  const [error, setError] = useState('');
  /** A key just made: its whole value, shown this once. */
  const [made, setMade] = useState<{ kind: 'api' | 'site'; name: string; key: string }>();
  const [revoking, setRevoking] = useState<{ kind: 'api' | 'site'; id: string; name: string }>();
  const load = useCallback(() => {
    api<{ keys: ApiKey[] }>('GET', '/api/keys').then((r) => setKeys(r.keys), (e) => setError(message(e)));
    api<{ siteKeys: SiteKey[] }>('GET', '/api/site-keys').then((r) => setSites(r.siteKeys), (e) => setError(message(e)));
  }, []);
  useEffect(() => { document.title = 'Settings · Tend'; load(); }, [load]);

  const create = async (kind: 'api' | 'site', data: FormData) => {
    const name = String(data.get('name') ?? '').trim();
    const body = kind === 'api' ? { name, scope: String(data.get('scope')) } : { name, ...(String(data.get('domains') ?? '').trim() ? { domains: String(data.get('domains')).split(/[\s,]+/).filter(Boolean) } : {}) };
    const r = await api<{ key: string; name: string }>('POST', kind === 'api' ? '/api/keys' : '/api/site-keys', body);
    setMade({ kind, name: r.name, key: r.key });
    load();
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api('DELETE', `${revoking.kind === 'api' ? '/api/keys' : '/api/site-keys'}/${revoking.id}`);
      toast(`${revoking.name} is revoked`, 'success');
    } catch (e) { toast(message(e), 'error'); }
    setRevoking(undefined);
    load();
  };

  return (
    <div className="page">
      <TopBar current="settings" title="Settings" />
      <main className="programs">
        {error && <p className="error" role="alert">{error}</p>}
        <section aria-label="API keys">
          <h2 className="section-title">API keys</h2>
          <p className="muted small">For machines: your backend posting events, a CRM sync, the <code>tend</code> command. People sign in with their own accounts (Team).</p>
          <CreateForm label="New API key" onCreate={(d) => create('api', d)} extra={
            <label className="field"><span className="field-label">Scope</span>
              <select name="scope" defaultValue="write">{Object.entries(SCOPES).map(([s, help]) => <option key={s} value={s} title={help}>{s}</option>)}</select>
            </label>} />
          <KeyTable rows={keys} columns={['Scope', 'Last used']} cells={(k: ApiKey) => [k.scope, k.lastUsedAt ? ago(k.lastUsedAt) : 'never']} onRevoke={(k) => setRevoking({ kind: 'api', id: k.id, name: k.name })} testId="api-key-row" />
        </section>
        <section aria-label="Website tracking">
          <h2 className="section-title">Website tracking</h2>
          <p className="muted small">A site key is public: it goes in the snippet on your pages, which records page views and lets forms and sign-ins name the visitor. It can only add page views and identify; it reads nothing.</p>
          <CreateForm label="New site key" onCreate={(d) => create('site', d)} extra={
            <label className="field"><span className="field-label">Your domains (optional)</span><input name="domains" placeholder="www.example.com shop.example.com" /></label>} />
          <KeyTable rows={sites} columns={['Domains', 'Last page view']} cells={(k: SiteKey) => [k.domains.join(', ') || '—', k.lastSeenAt ? `${ago(k.lastSeenAt)}: ${k.lastPage ?? ''}` : 'none yet: paste the snippet on a page and open it']} onRevoke={(k) => setRevoking({ kind: 'site', id: k.id, name: k.name })} testId="site-key-row" />
          {sites && sites.length > 0 && <button onClick={load} data-testid="check-tracking">Check again</button>}
          <LivePageViews />
        </section>
        <MessagingPolicyForm />
        <SigningSecret />
      </main>
      {made && (
        <Dialog title={`${made.kind === 'api' ? 'API key' : 'Site key'} “${made.name}”`} onClose={() => setMade(undefined)}>
          <p><strong>Copy it now:</strong> Tend keeps only its hash, and cannot show it again.</p>
          <pre className="secret" data-testid="new-key">{made.key}</pre>
          {made.kind === 'site' && (<>
            <p>Paste this before <code>&lt;/head&gt;</code> on every page of the site:</p>
            <pre className="secret" data-testid="snippet">{snippet(made.key)}</pre>
          </>)}
          <div className="dialog-actions">
            <button onClick={() => void navigator.clipboard?.writeText(made.kind === 'site' ? snippet(made.key) : made.key).then(() => toast('Copied', 'success'), () => undefined)}>Copy</button>
            <button className="primary" onClick={() => setMade(undefined)}>Done</button>
          </div>
        </Dialog>
      )}
      {revoking && (
        <Dialog title={`Revoke “${revoking.name}”?`} onClose={() => setRevoking(undefined)}>
          <p>{revoking.kind === 'api' ? 'Every call made with it is refused (401) from now on.' : 'Pages with this key in their snippet stop recording page views.'} This cannot be undone; make a new key instead.</p>
          <div className="dialog-actions"><button onClick={() => setRevoking(undefined)}>Cancel</button><button className="danger primary" onClick={() => void revoke()}>Revoke</button></div>
        </Dialog>
      )}
    </div>
  );
}

function CreateForm({ label, extra, onCreate }: { label: string; extra: React.ReactNode; onCreate: (d: FormData) => Promise<void> }) {
  const [error, setError] = useState('');
  return (
    <form className="invite" aria-label={label} onSubmit={async (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      setError('');
      try { await onCreate(new FormData(form)); form.reset(); } catch (err) { setError(message(err)); }
    }}>
      <label className="field"><span className="field-label">Name</span><input name="name" required maxLength={200} placeholder="What uses it" /></label>
      {extra}
      <button className="primary" type="submit">Create</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

function KeyTable<K extends { id: string; name: string; prefix: string; createdAt: string; revokedAt: string | null }>({ rows, columns, cells, onRevoke, testId }: {
  rows: K[] | undefined; columns: string[]; cells: (k: K) => string[]; onRevoke: (k: K) => void; testId: string;
}) {
  if (!rows) return <p className="muted">Loading…</p>;
  if (rows.length === 0) return <p className="muted">None yet.</p>;
  return (
    <table className="table">
      <thead><tr><th>Name</th><th>Key</th>{columns.map((c) => <th key={c}>{c}</th>)}<th>Created</th><th>Status</th><th aria-label="Actions" /></tr></thead>
      <tbody>
        {rows.map((k) => (
          <tr key={k.id} data-testid={testId} data-name={k.name}>
            <td>{k.name}</td><td><code>{k.prefix}…</code></td>
            {cells(k).map((c, i) => <td key={i}>{c}</td>)}
            <td title={when(k.createdAt)}>{ago(k.createdAt)}</td>
            <td><span className={`status status-${k.revokedAt ? 'archived' : 'live'}`}>{k.revokedAt ? 'revoked' : 'active'}</span></td>
            <td className="actions">{!k.revokedAt && <button className="danger" onClick={() => onRevoke(k)}>Revoke</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** When the links' signing secret was last rotated; rotating is a command, where the processes restart. */
function SigningSecret() {
  const [status, setStatus] = useState<{ rotatedAt: string | null; previousAccepted: boolean }>();
  useEffect(() => { api<{ signing: { rotatedAt: string | null; previousAccepted: boolean } }>('GET', '/api/secrets').then((r) => setStatus(r.signing), () => undefined); }, []);
  return (
    <section aria-label="Signing secret">
      <h2 className="section-title">Signing secret</h2>
      <p className="muted small">Signs unsubscribe, preference and tracking links so nobody can act for another contact. Rotate it with <code>tend secrets rotate</code>, then restart servers and workers: links signed before keep working until the next rotation.</p>
      {!status ? <p className="muted">Loading…</p> : (
        <p data-testid="signing-status">{status.rotatedAt ? <>Last rotated <span title={when(status.rotatedAt)}>{ago(status.rotatedAt)}</span>{status.previousAccepted ? '; links signed with the secret before still work.' : '.'}</> : 'Not rotated since Tend was set up.'}</p>
      )}
    </section>
  );
}
