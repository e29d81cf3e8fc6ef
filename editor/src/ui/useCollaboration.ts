// The program's comments (loaded on open, again every 20 seconds and after each change)
// and who else has it open (this editor says it is here every 20 seconds, and that it
// left when the page goes).
import { useCallback, useEffect, useState } from 'react';
import { api, type CommentsAnswer } from '../api.js';

const EVERY_MS = 20_000;

export function useComments(programId: string) {
  const [data, setData] = useState<CommentsAnswer>({ comments: [], mentionable: [] });
  const reload = useCallback(() => { api<CommentsAnswer>('GET', `/api/flows/${programId}/comments`).then(setData, () => undefined); }, [programId]);
  useEffect(() => {
    reload();
    const t = setInterval(reload, EVERY_MS);
    return () => clearInterval(t);
  }, [reload]);
  return { ...data, reload };
}

export function usePresence(programId: string): { name: string; since: string }[] {
  const [others, setOthers] = useState<{ name: string; since: string }[]>([]);
  useEffect(() => {
    const here = () => { api<{ others: { name: string; since: string }[] }>('PUT', `/api/flows/${programId}/presence`).then((r) => setOthers(r.others), () => undefined); };
    here();
    const t = setInterval(here, EVERY_MS);
    const leave = () => { void api('DELETE', `/api/flows/${programId}/presence`).catch(() => undefined); };
    window.addEventListener('pagehide', leave);
    return () => { clearInterval(t); window.removeEventListener('pagehide', leave); leave(); };
  }, [programId]);
  return others;
}
