// Live counts for a published program, refreshed every two seconds while the page is
// visible.
import { useEffect, useState } from 'react';
import { api, type ProgramStats } from '../api.js';

const POLL_MS = 2000;

export function useStats(programId: string, enabled: boolean, version: number | undefined) {
  const [stats, setStats] = useState<ProgramStats>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) { setStats(undefined); return; }
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const s = await api<ProgramStats>('GET', `/api/flows/${programId}/stats${version ? `?version=${version}` : ''}`);
          if (!stopped) { setStats(s); setTick((t) => t + 1); }
        } catch { /* the next poll retries */ }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    let timer = setTimeout(poll, 0);
    return () => { stopped = true; clearTimeout(timer); };
  }, [programId, enabled, version]);
  return { stats, tick };
}
