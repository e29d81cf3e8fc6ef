// Human-readable times and numbers for lists and counters.
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  const future = s < 0;
  const a = Math.abs(s);
  const text = a < 45 ? 'a few seconds' : a < 90 ? 'a minute' : a < 3600 ? `${Math.round(a / 60)} minutes` : a < 5400 ? 'an hour' : a < 86400 ? `${Math.round(a / 3600)} hours` : a < 172800 ? 'a day' : `${Math.round(a / 86400)} days`;
  return future ? `in ${text}` : `${text} ago`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function count(n: number | undefined): string {
  if (!n) return '0';
  return n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k` : n.toLocaleString();
}

export function percent(share: number | undefined): string {
  return share === undefined ? '' : `${Math.round(share * 100)}%`;
}

/** A share of those sent as "12.5%", "—" before any was sent. */
export const rate = (n: number, sent: number): string => (sent > 0 ? `${Math.round((n / sent) * 1000) / 10}%` : '—');

/** With seconds: steps of one run are often seconds apart. */
export function precise(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "2026-12-04" (a UTC day) as "Dec 4", for charts' axes. */
export const shortDay = (day: string): string => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
