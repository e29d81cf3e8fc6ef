// Names made from what a person typed, in the shape the server accepts.

/** "First Name" → "first_name": a contact attribute name (form fields, CSV columns). */
export const attributeName = (text: string, fallback: string) =>
  text.trim().toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, '_$1').slice(0, 64) || fallback;

/** "VIP buyers" → "vip-buyers": a key (segments, topics), at most `max` characters. */
export const keyFrom = (name: string, max: number): string => name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max);
