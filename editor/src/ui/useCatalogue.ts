// The data catalogue (GET /api/catalogue) for the pickers: fetched once and shared by
// every form on the screen; fetched again on another screen (data may have arrived
// meanwhile: a first page view, a new attribute) or when a form mounts more than 30 s
// later.
import { useEffect, useState } from 'react';
import type { DataCatalogue } from '../../../engine/audience/data-catalogue.js';
import { api } from '../api.js';

let cached: { at: number; screen: string; promise: Promise<DataCatalogue | undefined> } | undefined;
const FRESH_MS = 30_000;

function load(): Promise<DataCatalogue | undefined> {
  if (!cached || cached.screen !== location.pathname || Date.now() - cached.at > FRESH_MS) {
    cached = { at: Date.now(), screen: location.pathname, promise: api<DataCatalogue>('GET', '/api/catalogue').catch(() => undefined) };
  }
  return cached.promise;
}

/** After a change the pickers must show at once (a new segment): the next form asks again. */
export function forgetCatalogue(): void {
  cached = undefined;
}

export function useCatalogue(): DataCatalogue | undefined {
  const [catalogue, setCatalogue] = useState<DataCatalogue | undefined>();
  useEffect(() => {
    let live = true;
    void load().then((c) => { if (live) setCatalogue(c); });
    return () => { live = false; };
  }, []);
  return catalogue;
}
