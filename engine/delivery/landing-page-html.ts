// A landing page's HTML from its blocks. Every value a marketer typed is escaped, and
// links and images are limited to http(s) here as well as on save, so a row written by
// hand (or before a rule tightened) cannot put script on Tend's origin. The page runs no
// script at all (a button's click is recorded by a redirect through Tend); its CSP (server/security-headers.ts) says so too. A form block posts to
// the form's own /f/:id/submit, so a submission is checked and stored exactly as the
// hosted form's: progressive profiling, consent checkboxes, the honeypot.
import type { Block } from './landing-pages.js';
import type { FormField } from '../audience/forms.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** The address if it is http(s), else undefined (the block is left out rather than made into a dead link). */
export function webUrl(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A form as the page shows it to this visitor: the fields progressive profiling picked. */
export interface ShownForm {
  id: string;
  submitLabel?: string;
  fields: (FormField & { value?: string })[];
}

export interface PageToRender {
  title: string;
  slug: string;
  variant: string;
  blocks: Block[];
  /** By id; a form archived since the page was saved is left out. */
  forms: Map<string, ShownForm>;
  /** The visitor's anonymous id: the submission merges this browser's history into the contact. */
  visitorId: string;
  /**
   * An editor's preview: a banner says so, buttons link straight to their address (a
   * click through /p/:slug/cta would be recorded, and a draft has no /p/ yet) and forms
   * cannot be sent.
   */
  preview?: boolean;
  /**
   * The page asks before its cookie and the visitor has not answered: a bar with Accept
   * and Decline, a form posting to the page's own address with the variant shown.
   */
  askConsent?: boolean;
}

const STYLE = 'body{font-family:system-ui,sans-serif;line-height:1.5;color:#1c1917;margin:0;background:#fafaf9}main{max-width:40rem;margin:0 auto;padding:3rem 1.25rem}'
  + 'h1{font-size:2.25rem;line-height:1.15;margin:.5rem 0 1rem}h2{font-size:1.5rem}h3{font-size:1.15rem}img{max-width:100%;height:auto;border-radius:8px;display:block;margin:1.5rem 0}'
  + '.cta{display:inline-block;background:#166534;color:#fff;padding:.75rem 1.5rem;border-radius:8px;text-decoration:none;font-weight:600;margin:1rem 0}'
  + 'form{background:#fff;border:1px solid #e7e5e4;border-radius:10px;padding:1.25rem;margin:1.5rem 0}label{display:block;font-weight:600;margin-top:.75rem}'
  + 'input,select{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.5rem;margin-top:.25rem;border:1px solid #a8a29e;border-radius:6px}input[type=checkbox]{display:inline;width:auto}'
  + 'button{font:inherit;font-weight:600;padding:.7rem 1.4rem;border-radius:8px;border:0;background:#1c1917;color:#fff;cursor:pointer;margin-top:1rem}.hp{position:absolute;left:-10000px}'
  + '.consent{position:sticky;top:0;z-index:1;background:#1c1917;color:#fff;border:0;border-radius:0;margin:0;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:center}'
  + '.consent p{margin:0;flex:1 1 20rem;max-width:36rem}.consent-answers{display:flex;gap:.5rem}.consent button{margin:0;background:#fff;color:#1c1917}.consent button[value=decline]{background:transparent;color:#fff;border:1px solid #fff}'
  + 'button:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}'
  + '.preview{margin:0;padding:.5rem 1rem;background:#fef3c7;text-align:center}';

function fieldHtml(formId: string, f: FormField & { value?: string }): string {
  const id = `f-${escapeHtml(formId.slice(0, 8))}-${escapeHtml(f.name)}`;
  const common = `name="${escapeHtml(f.name)}" id="${id}"${f.required || f.name === 'email' ? ' required' : ''}`;
  let control: string;
  if (f.type === 'select') control = `<select ${common}><option value=""></option>${(f.options ?? []).map((o) => `<option>${escapeHtml(o)}</option>`).join('')}</select>`;
  else if (f.type === 'checkbox') control = `<input type="checkbox" value="true" ${common}>`;
  else control = `<input type="${f.type}" ${common} value="${escapeHtml(f.value ?? '')}"${f.pattern ? ` pattern="${escapeHtml(f.pattern)}"` : ''}>`;
  return f.type === 'checkbox' ? `<label>${control} ${escapeHtml(f.label)}</label>` : `<label for="${id}">${escapeHtml(f.label)}</label>${control}`;
}

// The same honeypot as the hosted form's: off-screen, out of the tab order and autofill.
const HONEYPOT = '<p class="hp" aria-hidden="true"><label>Leave this empty <input type="text" name="_comment" tabindex="-1" autocomplete="off"></label></p>';

function formHtml(form: ShownForm, page: PageToRender): string {
  // Without consent there is no visitor id: the submission makes the contact, and merges no browsing.
  const hidden = [...(page.visitorId ? [['_vid', page.visitorId]] : []), ['_shown', form.fields.map((f) => f.name).join(',')], ['_page', `/p/${page.slug}`]]
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value!)}">`).join('');
  if (page.preview) return `<form data-tend-form="${escapeHtml(form.id)}"><fieldset disabled style="border:0;padding:0;margin:0">${form.fields.map((f) => fieldHtml(form.id, f)).join('')}<button type="button">${escapeHtml(form.submitLabel ?? 'Submit')}</button></fieldset></form>`;
  return `<form method="post" action="/f/${escapeHtml(form.id)}/submit" data-tend-form="${escapeHtml(form.id)}">${hidden}${form.fields.map((f) => fieldHtml(form.id, f)).join('')}${HONEYPOT}<button type="submit">${escapeHtml(form.submitLabel ?? 'Submit')}</button></form>`;
}

const paragraphs = (text: string) => text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
  .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`).join('');

/** A button leads through Tend (/p/:slug/cta), which records the click and answers 302 to the button's own address. */
const ctaHref = (page: PageToRender, index: number) =>
  `/p/${encodeURIComponent(page.slug)}/cta?variant=${encodeURIComponent(page.variant)}&block=${index}`;

function blockHtml(b: Block, index: number, page: PageToRender): string {
  switch (b.type) {
    case 'heading': {
      const level = b.level ?? 2;
      return `<h${level}>${escapeHtml(b.text)}</h${level}>`;
    }
    case 'text': return paragraphs(b.text);
    case 'image': {
      const src = webUrl(b.url);
      return src ? `<img src="${escapeHtml(src)}" alt="${escapeHtml(b.alt)}" loading="lazy">` : '';
    }
    case 'cta': {
      const href = webUrl(b.url);
      return href ? `<p><a class="cta" href="${escapeHtml(page.preview ? href : ctaHref(page, index))}">${escapeHtml(b.label)}</a></p>` : '';
    }
    case 'form': {
      const form = page.forms.get(b.formId);
      return form ? formHtml(form, page) : '';
    }
  }
}

/**
 * The consent bar: a plain form (the page runs no script), first in the page so the
 * keyboard reaches it first. The variant shown travels with the answer, so an accepting
 * visitor stays on it; the server checks it against the page.
 */
const consentBar = (page: PageToRender) =>
  `<form class="consent" method="post" action="/p/${encodeURIComponent(page.slug)}" aria-labelledby="tend-consent-text">`
  + `<input type="hidden" name="variant" value="${escapeHtml(page.variant)}">`
  + '<p id="tend-consent-text">May we set a cookie to count your visit and show you this version of the page again?</p>'
  + '<span class="consent-answers"><button type="submit" name="consent" value="accept">Accept</button><button type="submit" name="consent" value="decline">Decline</button></span></form>';

const previewBar = (page: PageToRender) =>
  `<p role="note" class="preview" data-tend-preview><strong>Preview — not published.</strong> Variant ${escapeHtml(page.variant)}: nothing is recorded, the form cannot be sent</p>`;

/**
 * The whole page for one visitor and variant.
 * @example renderLandingPage({ title: 'Spring', slug: 'spring', variant: 'a', blocks: [{ type: 'heading', text: '<b>Hi</b>', level: 1 }], forms: new Map(), visitorId: 'v1234567' })
 * // … <h1>&lt;b&gt;Hi&lt;/b&gt;</h1> …
 */
export function renderLandingPage(page: PageToRender): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>`
    + `<body>${page.preview ? previewBar(page) : ''}${page.askConsent && !page.preview ? consentBar(page) : ''}<main data-tend-variant="${escapeHtml(page.variant)}">${page.blocks.map((b, i) => blockHtml(b, i, page)).join('\n')}</main></body></html>`;
}

/** What an unknown, draft or archived slug answers (404), in the same look. */
export function notFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Page not found</title><style>${STYLE}</style></head><body><main><h1>This page does not exist</h1><p>It may have been taken down, or the address was copied incompletely.</p></main></body></html>`;
}
