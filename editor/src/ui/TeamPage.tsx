// The team: everyone with an account, their role and whether they can sign in, the
// invitations still open, and a form to invite someone. Owners and admins change roles
// and switch accounts off; nobody changes their own, and the owner stays owner (the
// server refuses both; the screen does not offer them).
import { useCallback, useEffect, useState } from 'react';
import { api, problemText, session, type Person } from '../api.js';
import { ago, when } from './format.js';
import { TopBar } from './TopBar.js';
import { useToast } from './toast.js';

interface Account extends Person { createdAt: string; disabledAt: string | null }
interface Invitation { id: string; email: string; role: Person['role']; invitedBy: string; createdAt: string; expiresAt: string; acceptedAt: string | null }

const INVITABLE = ['admin', 'marketer', 'viewer'] as const;
const ROLE_HELP: Record<Person['role'], string> = {
  owner: 'Everything, and the one account nobody else can change.',
  admin: 'Everything but ownership: people, keys, settings, the audit log.',
  marketer: 'Programs, segments, forms and contacts; no keys, no settings.',
  viewer: 'Reads programs and their counts; changes nothing, exports no one.',
};

const message = (e: unknown) => problemText(e);

export function TeamPage() {
  const toast = useToast();
  const [team, setTeam] = useState<{ users: Account[]; invitations: Invitation[] }>();
  const [refused, setRefused] = useState('');
  const load = useCallback(() => {
    api<{ users: Account[]; invitations: Invitation[] }>('GET', '/api/users').then(setTeam, (e) => setRefused(message(e)));
  }, []);
  useEffect(() => { document.title = 'Team · Tend'; load(); }, [load]);

  const change = async (who: Account, what: { role?: Person['role']; disabled?: boolean }, done: string) => {
    try {
      await api('PATCH', `/api/users/${who.id}`, what);
      toast(done, 'success');
    } catch (e) {
      toast(`${who.name}: ${message(e)}`, 'error');
    }
    load();
  };
  const me = session.person()?.id;
  const open = (team?.invitations ?? []).filter((i) => !i.acceptedAt && Date.parse(i.expiresAt) > Date.now());

  return (
    <div className="page">
      <TopBar current="team" title="Team" />
      <main className="programs">
        {refused ? <p className="error" role="alert">{refused}</p> : !team ? <p className="muted">Loading…</p> : (
          <>
            <InviteForm onInvited={(email) => { toast(`Invitation sent to ${email}`, 'success'); load(); }} />
            <h2 className="section-title">People <span className="muted small">{team.users.length}</span></h2>
            <table className="table" aria-label="People">
              <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Since</th><th>Status</th><th aria-label="Actions" /></tr></thead>
              <tbody>
                {team.users.map((u) => {
                  const fixed = u.role === 'owner' || u.id === me;
                  return (
                    <tr key={u.id} data-testid="person-row" data-email={u.email}>
                      <td>{u.name}{u.id === me && <span className="muted small"> (you)</span>}</td>
                      <td>{u.email}</td>
                      <td>
                        {fixed ? <span title={ROLE_HELP[u.role]}>{u.role}</span> : (
                          <select aria-label={`Role of ${u.name}`} value={u.role} disabled={Boolean(u.disabledAt)} onChange={(e) => void change(u, { role: e.target.value as Person['role'] }, `${u.name} is now ${e.target.value}`)}>
                            {INVITABLE.map((r) => <option key={r} value={r} title={ROLE_HELP[r]}>{r}</option>)}
                          </select>
                        )}
                      </td>
                      <td title={when(u.createdAt)}>{ago(u.createdAt)}</td>
                      <td><span className={`status status-${u.disabledAt ? 'archived' : 'live'}`}>{u.disabledAt ? 'switched off' : 'active'}</span></td>
                      <td className="actions">
                        {!fixed && (u.disabledAt
                          ? <button onClick={() => void change(u, { disabled: false }, `${u.name} can sign in again`)}>Switch on</button>
                          : <button className="danger" onClick={() => void change(u, { disabled: true }, `${u.name} is switched off and signed out`)}>Switch off</button>)}
                        {!u.disabledAt && u.id !== me && (
                          <button onClick={() => api<{ sessionsEnded: number }>('POST', `/api/users/${u.id}/sign-out`).then((r) => toast(`${u.name}: ${r.sessionsEnded} browser(s) signed out`, 'success'), (e) => toast(message(e), 'error'))}>Sign out everywhere</button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <h2 className="section-title">Open invitations <span className="muted small">{open.length}</span></h2>
            {open.length === 0 ? <p className="muted">No invitation is waiting to be accepted.</p> : (
              <table className="table" aria-label="Open invitations">
                <thead><tr><th>Email</th><th>Role</th><th>Invited by</th><th>Link works until</th></tr></thead>
                <tbody>
                  {open.map((i) => (
                    <tr key={i.id} data-testid="invitation-row"><td>{i.email}</td><td>{i.role}</td><td>{i.invitedBy}</td><td>{when(i.expiresAt)}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
            <dl className="role-help">
              {Object.entries(ROLE_HELP).map(([role, help]) => <div key={role}><dt>{role}</dt><dd className="muted">{help}</dd></div>)}
            </dl>
          </>
        )}
      </main>
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (email: string) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form className="invite" aria-label="Invite someone" onSubmit={async (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      const data = new FormData(form);
      const email = String(data.get('email') ?? '').trim();
      setBusy(true);
      setError('');
      try {
        await api('POST', '/api/users/invitations', { email, role: String(data.get('role')) });
        form.reset();
        onInvited(email);
      } catch (err) {
        setError(message(err));
      } finally {
        setBusy(false);
      }
    }}>
      <label className="field">
        <span className="field-label">Invite by email</span>
        <input name="email" type="email" placeholder="name@example.com" required />
      </label>
      <label className="field">
        <span className="field-label">Role</span>
        <select name="role" defaultValue="marketer">
          {INVITABLE.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
      <button className="primary" type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send invitation'}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
