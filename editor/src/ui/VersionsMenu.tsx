// The versions menu: the draft and every published version, with when it was published
// and how many contacts entered it and are still inside; picking one shows it.
import { useState } from 'react';
import { api, type ProgramDetail, type VersionInfo } from '../api.js';
import { ago, when } from './format.js';

interface Props {
  programId: string;
  detail: ProgramDetail;
  shown: number | 'draft';
  onVersions: (versions: VersionInfo[]) => void;
  onShowDraft: () => void;
  onShowVersion: (version: number) => void;
}

export function VersionsMenu({ programId, detail, shown, onVersions, onShowDraft, onShowVersion }: Props) {
  const [open, setOpen] = useState(false);
  const toggle = () => {
    // Counts per version change while contacts flow: fetch them fresh on open.
    if (!open) api<{ versions: VersionInfo[] }>('GET', `/api/flows/${programId}/versions`).then((r) => onVersions(r.versions)).catch(() => undefined);
    setOpen(!open);
  };
  return (
    <div className="menu-anchor">
      <button onClick={toggle} aria-expanded={open} data-testid="versions-button">Versions ({detail.versions.length})</button>
      {open && (
        <div className="menu" role="menu" data-testid="versions">
          <button role="menuitem" className={shown === 'draft' ? 'on' : ''} onClick={() => { onShowDraft(); setOpen(false); }}>
            <strong>Draft</strong><span className="muted small">edited {ago(detail.updatedAt)}</span>
          </button>
          {detail.versions.map((v) => (
            <button role="menuitem" key={v.version} className={shown === v.version ? 'on' : ''} onClick={() => { onShowVersion(v.version); setOpen(false); }} data-testid="version-row">
              <strong>v{v.version}{v.version === detail.liveVersion ? ' · live' : ''}</strong>
              <span className="muted small">published {when(v.publishedAt)}</span>
              <span className="muted small">{v.activeContacts} inside now · {v.totalContacts} entered</span>
            </button>
          ))}
          {detail.versions.length === 0 && <p className="muted small">Not published yet.</p>}
        </div>
      )}
    </div>
  );
}
