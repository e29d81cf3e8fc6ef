// Every program with its status, version, contacts inside now and last change, and
// the things done to whole programs: create, open, rename, duplicate, archive, import
// (a file or a bundled template) and export.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, download, type ProgramDetail, type ProgramSummary, type Template } from '../api.js';
import { emptyDocument } from '../model/catalogue.js';
import { navigate } from '../router.js';
import { ago, count } from './format.js';
import { Dialog, PromptDialog } from './Dialog.js';
import { useToast } from './toast.js';
import { TopBar } from './TopBar.js';

type Modal = { kind: 'new' } | { kind: 'rename'; program: ProgramSummary } | { kind: 'archive'; program: ProgramSummary } | { kind: 'gallery' } | null;

export function ProgramsPage() {
  const toast = useToast();
  const [programs, setPrograms] = useState<ProgramSummary[]>();
  const [archived, setArchived] = useState(false);
  const [filter, setFilter] = useState('');
  const [modal, setModal] = useState<Modal>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    api<{ programs: ProgramSummary[] }>('GET', `/api/flows${archived ? '?archived=true' : ''}`).then((r) => setPrograms(r.programs)).catch((e: Error) => toast(e.message, 'error'));
  }, [archived, toast]);
  useEffect(load, [load]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    try { await fn(); load(); } catch (e) { toast(`${what} failed: ${(e as Error).message}`, 'error'); }
  };

  const importDocument = async (doc: unknown, from: string) => {
    try {
      const created = await api<ProgramDetail>('POST', '/api/flows/import', doc);
      toast(`Imported “${created.name}” from ${from}`, 'success');
      navigate(`/programs/${created.id}`);
    } catch (e) {
      toast(`Import failed: ${(e as Error).message}`, 'error');
    }
  };

  const shown = (programs ?? []).filter((p) => p.name.toLowerCase().includes(filter.toLowerCase()));

  return (
    <div className="page">
      <TopBar current="programs" title="Programs" />
      <main className="programs">
        <div className="toolbar">
          <input className="search" type="search" placeholder="Find a program" aria-label="Find a program" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <label className="check"><input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived</label>
          <div className="spacer" />
          <button onClick={() => setModal({ kind: 'gallery' })}>Templates</button>
          <button onClick={() => fileInput.current?.click()}>Import file…</button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="import-file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              let doc: unknown;
              try { doc = JSON.parse(await file.text()); } catch { return toast(`${file.name} is not JSON`, 'error'); }
              await importDocument(doc, file.name);
            }}
          />
          <button className="primary" onClick={() => setModal({ kind: 'new' })}>New program</button>
        </div>
        {!programs ? <p className="muted">Loading…</p> : shown.length === 0 ? (
          <div className="empty">
            <h2>{programs.length ? 'No program matches' : 'No programs yet'}</h2>
            <p className="muted">Start from an empty canvas, a template, or a JSON file exported from another Tend.</p>
            <div className="row"><button className="primary" onClick={() => setModal({ kind: 'new' })}>New program</button><button onClick={() => setModal({ kind: 'gallery' })}>Browse templates</button></div>
          </div>
        ) : (
          <table className="table">
            <thead><tr><th>Name</th><th>Status</th><th>Version</th><th className="num">Contacts inside</th><th>Last change</th><th aria-label="Actions" /></tr></thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id} data-testid="program-row" data-name={p.name}>
                  <td><a href={`/programs/${p.id}`} onClick={(e) => { e.preventDefault(); navigate(`/programs/${p.id}`); }} className="program-link">{p.name}</a>{p.description && <div className="muted small">{p.description}</div>}</td>
                  <td><span className={`status status-${p.status}`}>{p.status}</span></td>
                  <td>{p.liveVersion ? `v${p.liveVersion}` : '—'}</td>
                  <td className="num">{count(p.activeContacts)}</td>
                  <td title={new Date(p.updatedAt).toLocaleString()}>{ago(p.updatedAt)}</td>
                  <td className="actions">
                    <button onClick={() => setModal({ kind: 'rename', program: p })}>Rename</button>
                    <button onClick={() => act('Duplicate', () => api('POST', `/api/flows/${p.id}/duplicate`))}>Duplicate</button>
                    <button onClick={() => download(`/api/flows/${p.id}/export${p.liveVersion ? '?version=live' : ''}`, 'program.tend.json').catch((e: Error) => toast(e.message, 'error'))}>Export</button>
                    {p.status !== 'archived' && <button className="danger" onClick={() => setModal({ kind: 'archive', program: p })}>Archive</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {modal?.kind === 'new' && (
        <PromptDialog title="New program" label="Name" initial="" confirm="Create" onClose={() => setModal(null)} onSubmit={async (name) => {
          try {
            const created = await api<ProgramDetail>('POST', '/api/flows', emptyDocument(name));
            navigate(`/programs/${created.id}`);
          } catch (e) { toast((e as Error).message, 'error'); }
        }} />
      )}
      {modal?.kind === 'rename' && (
        <PromptDialog title="Rename program" label="Name" initial={modal.program.name} confirm="Rename" onClose={() => setModal(null)} onSubmit={(name) => {
          setModal(null);
          void act('Rename', () => api('PATCH', `/api/flows/${modal.program.id}`, { name }));
        }} />
      )}
      {modal?.kind === 'archive' && (
        <Dialog title={`Archive “${modal.program.name}”?`} onClose={() => setModal(null)}>
          <p>New contacts stop entering it and it leaves this list. {modal.program.activeContacts > 0 && `${modal.program.activeContacts} contact(s) are inside now.`}</p>
          <div className="dialog-actions"><button onClick={() => setModal(null)}>Cancel</button><button className="danger primary" onClick={() => { setModal(null); void act('Archive', () => api('POST', `/api/flows/${modal.program.id}/archive`)); }}>Archive</button></div>
        </Dialog>
      )}
      {modal?.kind === 'gallery' && <Gallery onClose={() => setModal(null)} onPick={(t) => { setModal(null); void importDocument(t.document, `template ${t.file}`); }} />}
    </div>
  );
}

function Gallery({ onClose, onPick }: { onClose: () => void; onPick: (t: Template) => void }) {
  const [templates, setTemplates] = useState<Template[]>();
  const [error, setError] = useState('');
  useEffect(() => { api<{ templates: Template[] }>('GET', '/api/templates').then((r) => setTemplates(r.templates)).catch((e: Error) => setError(e.message)); }, []);
  return (
    <Dialog title="Start from a template" onClose={onClose} wide>
      {error && <p className="error">{error}</p>}
      {!templates ? <p className="muted">Loading…</p> : templates.length === 0 ? <p className="muted">No templates are bundled with this Tend (they live in <code>examples/</code>).</p> : (
        <div className="gallery">
          {templates.map((t) => (
            <button key={t.file} className="gallery-card" onClick={() => onPick(t)}>
              <strong>{t.name}</strong>
              <span className="muted small">{t.description || `${t.nodes} nodes`}</span>
              <span className="muted small">{t.nodes} nodes · {t.file}</span>
            </button>
          ))}
        </div>
      )}
    </Dialog>
  );
}
