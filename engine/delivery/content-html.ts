// What HTML a website content variant may hold. A marketer writes it in Tend and t.js
// puts it into the customer's page with innerHTML, so anything that runs script there
// (a <script>, an on* handler, a javascript: link, an <iframe>, inline CSS that can
// cover the page) would be Tend's stored XSS on someone else's site. One allow-list,
// applied when a slot is saved and again when slots are loaded to be served (a row
// written before a rule tightened, or by hand, is cleaned all the same).
import sanitizeHtml from 'sanitize-html';

/** The elements a variant may use: text, links, lists, images, buttons; never script, style, forms, frames, SVG. */
export const CONTENT_TAGS = ['p', 'div', 'span', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'strong', 'em', 'b', 'i', 'u', 's', 'small', 'br', 'hr', 'ul', 'ol', 'li', 'blockquote', 'img', 'button', 'figure', 'figcaption', 'section'] as const;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...CONTENT_TAGS],
  // No id or name (they can clobber the page's own globals and elements) and no style:
  // the site's own stylesheet styles a variant through its classes.
  allowedAttributes: {
    '*': ['class', 'title', 'lang', 'dir', 'data-tend-cta'],
    a: ['href', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    button: ['type'],
  },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // A link that opens a new tab must not hand the page a handle on the site (reverse tabnabbing).
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: attribs.target ? { ...attribs, rel: 'noopener noreferrer' } : attribs }),
  },
};

/**
 * A variant's HTML as Tend stores and serves it: only the allowed elements and
 * attributes; the text of removed elements is kept, the content of <script> and
 * <style> is not.
 * @example cleanContentHtml('<p onclick="x()">Hi<script>x()</script></p>') // '<p>Hi</p>'
 */
export function cleanContentHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
