// The shell: sign in (a person's email and password, or an API key; the owner's set-up
// and invitation links make accounts), then the programs list, one program, the team
// or the audit log.
import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { api, ApiError, session, nodeTypes, signInAs, whoIsSignedIn } from '../api.js';
import { catalogueOf, type Catalogue, type NodeType } from '../model/catalogue.js';
import { useRoute } from '../router.js';
import { ToastProvider } from './toast.js';
import { ProgramsPage } from './ProgramsPage.js';
import { EditorPage } from './EditorPage.js';
import { TeamPage } from './TeamPage.js';
import { DashboardPage } from './DashboardPage.js';
import { SettingsPage } from './SettingsPage.js';
import { ScoringPage } from './ScoringPage.js';
import { FormPage, FormsPage } from './FormsPage.js';
import { MessagesPage } from './MessagesPage.js';
import { ContactsPage } from './ContactsPage.js';
import { ContactPage } from './ContactPage.js';
import { SegmentsPage, SegmentPage } from './SegmentsPage.js';
import { AuditPage } from './AuditPage.js';
import { ProgramResultsPage } from './ProgramResultsPage.js';
import { WebsitePage, ContentSlotPage } from './WebsitePage.js';
import { LandingPagesPage } from './LandingPagesPage.js';
import { LandingPageScreen } from './LandingPageScreen.js';
import { warmUpLayout } from './layout-engine.js';
import { ErrorBoundary } from './ErrorBoundary.js';

type Signed = 'checking' | 'out' | 'in';

export function App() {
  const [state, setState] = useState<Signed>(session.key() ? 'in' : 'checking');
  useEffect(() => {
    const out = () => setState('out');
    window.addEventListener('tend:signed-out', out);
    // A person signed in before in this browser (the session cookie) is signed in still.
    if (state === 'checking') whoIsSignedIn().then((p) => { if (p) session.signedInAs(p); setState(p ? 'in' : 'out'); }, () => setState('out'));
    return () => window.removeEventListener('tend:signed-out', out);
  }, []);
  const signedIn = () => { history.replaceState(null, '', '/'); setState('in'); };
  const page = state === 'checking' ? <main className="center muted">Loading…</main>
    : state === 'in' ? <SignedIn />
    : location.pathname === '/setup' ? <AccountForm kind="setup" onSignedIn={signedIn} />
    : location.pathname === '/invitation' ? <AccountForm kind="invitation" onSignedIn={signedIn} />
    : location.pathname === '/reset-password' ? <AccountForm kind="reset" onSignedIn={signedIn} />
    : <SignIn onSignedIn={signedIn} />;
  return <ErrorBoundary><ToastProvider>{page}</ToastProvider></ErrorBoundary>;
}

/** A form's submit with busy and error state; `run` throws to show its message. */
function useSubmit(run: (data: FormData) => Promise<void>, explain: (err: unknown) => string) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await run(new FormData(e.currentTarget));
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, onSubmit };
}

const problemText = (err: unknown) => (err instanceof ApiError ? err.problems.map((p) => p.message).join('; ') || err.title : `Could not reach Tend: ${(err as Error).message}`);

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const withPassword = useSubmit(async (data) => {
    await signInAs('/api/auth/sign-in', { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') });
    onSignedIn();
  }, problemText);
  const withKey = useSubmit(async (data) => {
    const key = String(data.get('key') ?? '').trim();
    await api('GET', '/api/node-types', undefined, key);
    session.signIn(key);
    onSignedIn();
  }, (err) => (err instanceof ApiError && err.status === 401 ? 'That key was not accepted (unknown or revoked). Use the key printed by `npm start` (TEND_API_KEY) or one from `tend keys create`.' : problemText(err)));
  const [sent, setSent] = useState('');
  const forgot = useSubmit(async (data) => {
    setSent((await api<{ message: string }>('POST', '/api/auth/forgot-password', { email: String(data.get('email') ?? '') }, null)).message);
  }, problemText);
  const [sso, setSso] = useState<{ name: string } | null>(null);
  useEffect(() => { fetch('/api/auth/providers').then((r) => r.json()).then((p: { oidc: { name: string } | null }) => setSso(p.oidc), () => undefined); }, []);
  // Back from the sign-on provider with a reason it did not work.
  const ssoError = new URLSearchParams(location.search).get('sso-error');
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand brand-large"><span className="brand-mark" />Tend</div>
        {sso && <a className="button primary wide" href="/api/auth/oidc/start">Sign in with {sso.name}</a>}
        {ssoError && <p className="error" role="alert">Single sign-on did not work: {ssoError}</p>}
        <form onSubmit={withPassword.onSubmit} aria-label="Sign in with your account">
          <label className="field">
            <span className="field-label">Email</span>
            <input name="email" type="email" autoComplete="username" autoFocus required />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {withPassword.error && <p className="error" role="alert">{withPassword.error}</p>}
          <button className="primary wide" type="submit" disabled={withPassword.busy}>{withPassword.busy ? 'Checking…' : 'Sign in'}</button>
        </form>
        <details className="signin-key">
          <summary>Forgot your password?</summary>
          <form onSubmit={forgot.onSubmit} aria-label="Reset link">
            <label className="field">
              <span className="field-label">Your address</span>
              <input name="email" type="email" autoComplete="username" required />
            </label>
            {forgot.error && <p className="error" role="alert">{forgot.error}</p>}
            {sent && <p className="muted" role="status">{sent}</p>}
            <button className="wide" type="submit" disabled={forgot.busy}>Email me a link</button>
          </form>
        </details>
        <details className="signin-key">
          <summary>Use an API key instead</summary>
          <form onSubmit={withKey.onSubmit} aria-label="Sign in with a key">
            <p className="muted">A read key can look but not change. It is kept only for this browser tab.</p>
            <label className="field">
              <span className="field-label">API key</span>
              <input name="key" type="password" autoComplete="off" placeholder="tend_…" required />
            </label>
            {withKey.error && <p className="error" role="alert">{withKey.error}</p>}
            <button className="wide" type="submit" disabled={withKey.busy}>{withKey.busy ? 'Checking…' : 'Use the key'}</button>
          </form>
        </details>
      </div>
    </main>
  );
}

/** The owner's account on a new Tend (the link `npm start` printed), or an invited person's: the token is in the link's #fragment, which never reaches a server log. */
function AccountForm({ kind, onSignedIn }: { kind: 'setup' | 'invitation' | 'reset'; onSignedIn: () => void }) {
  const token = location.hash.slice(1);
  const submit = useSubmit(async (data) => {
    const fields = { token, name: String(data.get('name') ?? ''), password: String(data.get('password') ?? '') };
    if (kind === 'setup') await signInAs('/api/auth/setup', { ...fields, email: String(data.get('email') ?? '') });
    else if (kind === 'reset') await signInAs('/api/auth/reset-password', { token, password: fields.password });
    else await signInAs('/api/auth/accept-invitation', fields);
    onSignedIn();
  }, problemText);
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit.onSubmit}>
        <div className="brand brand-large"><span className="brand-mark" />Tend</div>
        <h1>{kind === 'setup' ? 'Create the owner account' : kind === 'reset' ? 'Choose a new password' : 'Create your account'}</h1>
        <p className="muted">{kind === 'setup' ? 'You are the first person here: your account owns this Tend and can invite the team.' : kind === 'reset' ? 'Every browser signed in to your account is signed out; this one is signed in with the new password.' : 'You were invited to this Tend; your role came with the invitation.'}</p>
        {kind !== 'reset' && (
          <label className="field">
            <span className="field-label">Your name</span>
            <input name="name" autoComplete="name" autoFocus required />
          </label>
        )}
        {kind === 'setup' && (
          <label className="field">
            <span className="field-label">Email</span>
            <input name="email" type="email" autoComplete="username" required />
          </label>
        )}
        <label className="field">
          <span className="field-label">Password</span>
          <input name="password" type="password" autoComplete="new-password" minLength={12} required />
          <span className="field-help muted">At least 12 characters.</span>
        </label>
        {submit.error && <p className="error" role="alert">{submit.error}</p>}
        <button className="primary wide" type="submit" disabled={submit.busy || !token}>{kind === 'setup' ? 'Create the owner account' : kind === 'reset' ? 'Set the new password' : 'Create my account'}</button>
        {!token && <p className="error" role="alert">This link is incomplete: open the whole link again.</p>}
      </form>
    </main>
  );
}

function SignedIn() {
  const route = useRoute();
  const [types, setTypes] = useState<NodeType[]>();
  const [catalogue, setCatalogue] = useState<Catalogue>();
  const [error, setError] = useState('');
  useEffect(() => {
    nodeTypes().then((t) => { setTypes(t); setCatalogue(catalogueOf(t)); }).catch((e: Error) => setError(e.message));
    warmUpLayout();
  }, []);
  useEffect(() => { if (route.page === 'programs') document.title = 'Programs · Tend'; }, [route]);
  if (error) return <main className="center error">Could not load the node catalogue: {error}</main>;
  if (!catalogue || !types) return <main className="center muted">Loading…</main>;
  if (route.page === 'program') {
    return (
      <ReactFlowProvider key={route.id}>
        <EditorPage programId={route.id} catalogue={catalogue} types={types} />
      </ReactFlowProvider>
    );
  }
  if (route.page === 'dashboard') return <DashboardPage />;
  if (route.page === 'program-results') return <ProgramResultsPage key={route.id} programId={route.id} />;
  if (route.page === 'contacts') return <ContactsPage />;
  if (route.page === 'contact') return <ContactPage key={route.id} contactId={route.id} />;
  if (route.page === 'segments') return <SegmentsPage />;
  if (route.page === 'segment') return <SegmentPage key={route.id} segmentId={route.id} />;
  if (route.page === 'team') return <TeamPage />;
  if (route.page === 'audit') return <AuditPage />;
  if (route.page === 'settings') return <SettingsPage />;
  if (route.page === 'scoring') return <ScoringPage />;
  if (route.page === 'forms') return <FormsPage />;
  if (route.page === 'website') return <WebsitePage />;
  if (route.page === 'content-slot') return <ContentSlotPage key={route.id} slotId={route.id} />;
  if (route.page === 'landing-pages') return <LandingPagesPage />;
  if (route.page === 'landing-page') return <LandingPageScreen key={route.id} pageId={route.id} />;
  if (route.page === 'messages') return <MessagesPage />;
  if (route.page === 'form') return <FormPage key={route.id} formId={route.id} />;
  return <ProgramsPage />;
}
