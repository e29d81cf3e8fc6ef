// A saved segment's size over time (one point a day, noted hourly and after each
// change) and the programs that use it: what changes, and who depends on it, before
// someone edits or deletes it.
import { useEffect, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api.js';
import { linkTo } from '../router.js';
import { shortDay } from './format.js';

export interface SegmentUser { id: string; name: string; status: string; draft: string[]; live: string[] }


export function SegmentSizes({ segmentId, version }: { segmentId: string; version: unknown }) {
  const [sizes, setSizes] = useState<{ day: string; members: number }[]>();
  useEffect(() => { api<{ sizes: { day: string; members: number }[] }>('GET', `/api/segments/${segmentId}/sizes?days=90`).then((r) => setSizes(r.sizes), () => setSizes([])); }, [segmentId, version]);
  return (
    <>
      <h2 className="section-title">Size over 90 days</h2>
      {!sizes ? <p className="muted">Loading…</p> : (
        <figure aria-label="Segment size per day" data-testid="chart-segment-size" data-points={sizes.length}>
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={sizes} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} fontSize={12} />
              <YAxis allowDecimals={false} fontSize={12} />
              <Tooltip labelFormatter={(l) => shortDay(String(l))} />
              <Line dataKey="members" name="Members" stroke="#2563eb" dot isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
          {sizes.length === 1 && <figcaption className="muted small">One day so far: Tend notes the size each hour, a point a day.</figcaption>}
        </figure>
      )}
    </>
  );
}

export function useSegmentUsers(segmentId: string | undefined): SegmentUser[] | undefined {
  const [users, setUsers] = useState<SegmentUser[]>();
  useEffect(() => { if (segmentId) api<{ programs: SegmentUser[] }>('GET', `/api/segments/${segmentId}/used-by`).then((r) => setUsers(r.programs), () => setUsers([])); }, [segmentId]);
  return users;
}

export function SegmentUsers({ users }: { users: SegmentUser[] | undefined }) {
  return (
    <>
      <h2 className="section-title">Used by</h2>
      {!users ? <p className="muted">Loading…</p> : users.length === 0 ? <p className="muted">No program names it.</p> : (
        <table className="table compact" aria-label="Programs using the segment">
          <thead><tr><th>Program</th><th>Status</th><th>Nodes</th></tr></thead>
          <tbody>
            {users.map((u) => {
              const nodes = [...new Set([...u.live, ...u.draft])];
              const to = `/programs/${u.id}?node=${encodeURIComponent(nodes[0] ?? '')}`;
              return (
                <tr key={u.id} data-testid="segment-user">
                  <td><a href={to} onClick={linkTo(to)}>{u.name}</a></td>
                  <td><span className={`status status-${u.status}`}>{u.status}</span></td>
                  <td className="muted small">{nodes.join(', ')}{u.live.length === 0 ? ' (draft only)' : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
