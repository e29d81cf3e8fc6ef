// Publishing with confidence: before a new version goes live, what it changes against
// the live one (in words), what happens to the contacts inside the live version, and
// how many contacts the trigger let in over the last 7 days. "No changes" when the draft
// is the live version: nothing to publish.
import { useEffect, useState } from 'react';
import { api, type ProgramDetail, type VersionInfo } from '../api.js';
import type { Catalogue, FlowDocument } from '../model/catalogue.js';
import { diffPrograms, type Change } from '../model/diff.js';
import { Dialog } from './Dialog.js';

interface Summary { changes: Change[] | null; inside: number; reach: { days: number; contacts: number | null; eventTypes: string[]; unestimatedTriggers: number } }

export function PublishDialog({ programId, detail, draft, catalogue, onConfirm, onClose }: { programId: string; detail: ProgramDetail; draft: FlowDocument; catalogue: Catalogue; onConfirm: () => void; onClose: () => void }) {
  const [summary, setSummary] = useState<Summary>();
  const [error, setError] = useState<string>();
  const live = detail.liveVersion;
  const next = Math.max(0, ...detail.versions.map((v) => v.version)) + 1;
  useEffect(() => {
    (async () => {
      const [liveDoc, versions, reach] = await Promise.all([
        live ? api<FlowDocument>('GET', `/api/flows/${programId}/export?version=${live}`) : Promise.resolve(undefined),
        api<{ versions: VersionInfo[] }>('GET', `/api/flows/${programId}/versions`),
        api<Summary['reach']>('GET', `/api/flows/${programId}/reach?days=7`),
      ]);
      setSummary({ changes: liveDoc ? diffPrograms(liveDoc, draft, catalogue) : null, inside: versions.versions.find((v) => v.version === live)?.activeContacts ?? 0, reach });
    })().catch((e: Error) => setError(e.message));
  }, [programId, live, draft, catalogue]);

  const unchanged = summary?.changes !== null && summary?.changes.length === 0;
  return (
    <Dialog title={live ? `Publish version ${next}?` : 'Publish this program?'} onClose={onClose} wide>
      <div data-testid="publish-summary">
        {error && <p className="error">{error}</p>}
        {!summary && !error && <p className="muted">Comparing with the live version…</p>}
        {summary && (
          <>
            {summary.changes === null && <p>This is the first version: it starts taking contacts as soon as it is published.</p>}
            {unchanged && <p data-testid="publish-no-changes"><strong>No changes:</strong> the draft is the live version {live}. There is nothing to publish.</p>}
            {summary.changes && summary.changes.length > 0 && (
              <>
                <h3>What changes against v{live}</h3>
                <ul className="publish-changes" data-testid="publish-changes">{summary.changes.map((c, i) => <li key={i} className={`change-${c.kind}`}>{c.text}</li>)}</ul>
              </>
            )}
            {live && !unchanged && <p data-testid="publish-inside">{summary.inside} contact{summary.inside === 1 ? ' is' : 's are'} inside v{live} now: they finish on v{live}; new contacts enter v{next}.</p>}
            {summary.reach.contacts !== null && (
              <p data-testid="publish-reach">In the last {summary.reach.days} days, {summary.reach.contacts} contact{summary.reach.contacts === 1 ? '' : 's'} had a {summary.reach.eventTypes.join(' or ')} event: about that many would have entered (re-entry rules and Where filters not counted).</p>
            )}
            {summary.reach.unestimatedTriggers > 0 && <p className="muted small">Triggers on segments, dates or schedules are not estimated.</p>}
          </>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>{unchanged ? 'Close' : 'Cancel'}</button>
        <button className="primary" type="button" disabled={!summary || unchanged} onClick={onConfirm} data-testid="confirm-publish">{live ? `Publish v${next}` : 'Publish'}</button>
      </div>
    </Dialog>
  );
}
