// What emails are dressed in, on the Messages screen: the sender address, each layout
// an email node may choose (its Handlebars source and a preview around sample content,
// rendered by the same preview the program editor uses) and the other partials.
// Layouts are files (built in, or the templates folder): shown here, changed with the
// deployment.
import { useEffect, useState } from 'react';
import { api } from '../api.js';

interface Part { name: string; from: 'built in' | 'templates folder'; template: string }
interface Design { sender: { from: string }; layouts: Part[]; partials: Part[] }

const SAMPLE = '<h1>Hello {{default contact.attributes.first_name "there"}}</h1><p>This is how an email’s content sits in this layout.</p><p><a href="https://example.com">A link</a></p>';

export function EmailDesignPanel() {
  const [design, setDesign] = useState<Design>();
  const [error, setError] = useState('');
  const [shown, setShown] = useState('default');
  const [preview, setPreview] = useState<string>();
  useEffect(() => { api<Design>('GET', '/api/email-design').then(setDesign, (e: Error) => setError(e.message)); }, []);
  useEffect(() => {
    setPreview(undefined);
    api<{ html: string }>('POST', '/api/flows/preview-email', { subject: 'Preview', html: SAMPLE, layout: shown }).then((r) => setPreview(r.html), (e: Error) => setError(e.message));
  }, [shown]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!design) return <p className="muted">Loading…</p>;
  const layout = design.layouts.find((l) => l.name === shown);
  return (
    <div className="design-panel">
      <section aria-label="Sender">
        <h2 className="section-title">Sender</h2>
        <p>Every email goes from <strong data-testid="sender-from">{design.sender.from}</strong> <span className="muted small">(set with TEND_MAIL_FROM where Tend runs; an email node may set its own Reply-To)</span></p>
      </section>
      <section aria-label="Layouts">
        <h2 className="section-title">Layouts</h2>
        <p className="muted small">An email node's Layout wraps its content (<code>{'{{{body}}}'}</code>). Add or change layouts as <code>layout-name.hbs</code> files in the templates folder (TEND_TEMPLATES_DIR); other <code>.hbs</code> files there are partials, <code>{'{{> name}}'}</code>.</p>
        <div className="view-switch" role="tablist" aria-label="Layout shown">
          {design.layouts.map((l) => <button key={l.name} role="tab" aria-selected={l.name === shown} className={l.name === shown ? 'on' : ''} onClick={() => setShown(l.name)}>{l.name}</button>)}
        </div>
        {layout && (
          <div className="design-layout">
            <figure>
              <figcaption className="muted small">{layout.from === 'built in' ? 'Built in' : 'From the templates folder'}</figcaption>
              <pre className="code-block" data-testid="layout-source">{layout.template}</pre>
            </figure>
            {preview ? <iframe className="preview-frame" title={`Layout ${layout.name} preview`} sandbox="" srcDoc={preview} data-testid="layout-frame" /> : <p className="muted">Rendering…</p>}
          </div>
        )}
      </section>
      <section aria-label="Partials">
        <h2 className="section-title">Partials</h2>
        {design.partials.length === 0 ? <p className="muted">None: put <code>name.hbs</code> files in the templates folder to use <code>{'{{> name}}'}</code> in emails.</p> : (
          <table className="table compact" aria-label="Partials"><thead><tr><th>Name</th><th>Source</th></tr></thead>
            <tbody>{design.partials.map((p) => <tr key={p.name}><td><code>{`{{> ${p.name}}}`}</code></td><td><pre className="code-block small">{p.template}</pre></td></tr>)}</tbody>
          </table>
        )}
      </section>
    </div>
  );
}
