// The shell: sign-in with the API key, then the programs list or one program.
import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { api, ApiError, session, nodeTypes } from '../api.js';
import { catalogueOf, type Catalogue, type NodeType } from '../model/catalogue.js';
import { useRoute } from '../router.js';
import { ToastProvider } from './toast.js';
import { ProgramsPage } from './ProgramsPage.js';
import { EditorPage } from './EditorPage.js';
import { warmUpLayout } from './layout-engine.js';
import { ErrorBoundary } from './ErrorBoundary.js';

export function App() {
  const [key, setKey] = useState(session.key());
  useEffect(() => {
    const out = () => setKey(null);
    window.addEventListener('tend:signed-out', out);
    return () => window.removeEventListener('tend:signed-out', out);
  }, []);
  return <ErrorBoundary><ToastProvider>{key ? <SignedIn /> : <SignIn onSignedIn={setKey} />}</ToastProvider></ErrorBoundary>;
}

function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main className="signin">
      <form
        className="signin-card"
        onSubmit={async (e) => {
          e.preventDefault();
          const key = String(new FormData(e.currentTarget).get('key') ?? '').trim();
          setBusy(true);
          setError('');
          try {
            await api('GET', '/api/node-types', undefined, key);
            session.signIn(key);
            onSignedIn(key);
          } catch (err) {
            setError(err instanceof ApiError && err.status === 401 ? 'That key was not accepted (unknown or revoked). Use the key printed by `npm start` (TEND_API_KEY) or one from `tend keys create`.' : `Could not reach Tend: ${(err as Error).message}`);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="brand brand-large"><span className="brand-mark" />Tend</div>
        <p className="muted">Sign in with an API key (a read key can look but not change). It is kept only for this browser tab.</p>
        <label className="field">
          <span className="field-label">API key</span>
          <input name="key" type="password" autoComplete="current-password" placeholder="tend_…" autoFocus required />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="primary wide" type="submit" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
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
  return <ProgramsPage />;
}
