import { describe, expect, test } from 'vitest';
import type { ProgramComment } from '../api.js';
import { countsByNode, mentionQuery, mentionsIn, threadsOf } from './comments.js';

const c = (id: string, nodeId: string | null, threadId: string | null = null, deletedAt: string | null = null): ProgramComment => ({
  id, programId: 'p', nodeId, threadId, author: { kind: 'user', id: 'u', name: 'Mark' }, body: id, mentions: [], createdAt: '2026-12-04T10:00:00Z', deletedAt,
});

describe('comments', () => {
  test('threads of a node hold their replies, in order; other nodes\' and the program\'s stay apart', () => {
    const all = [c('a', 'email'), c('b', null), c('a1', 'email', 'a'), c('d', 'wait'), c('a2', 'email', 'a')];
    expect(threadsOf(all, 'email').map((t) => [t.first.id, t.replies.map((r) => r.id)])).toEqual([['a', ['a1', 'a2']]]);
    expect(threadsOf(all, null).map((t) => t.first.id)).toEqual(['b']);
  });

  test('badges count what is not deleted', () => {
    expect([...countsByNode([c('a', 'email'), c('a1', 'email', 'a'), c('x', 'email', null, '2026-12-04T11:00:00Z'), c('b', null)])]).toEqual([['email', 2]]);
  });

  test('a mention counts while its @Name is still in the text', () => {
    const picked = [{ id: '1', name: 'Grace Hopper' }, { id: '2', name: 'Ada' }, { id: '1', name: 'Grace Hopper' }];
    expect(mentionsIn('@Grace Hopper please look', picked)).toEqual(['1']);
    expect(mentionsIn('nobody', picked)).toEqual([]);
  });

  test('the @partial before the cursor', () => {
    expect(mentionQuery('hi @Gra', 7)).toBe('Gra');
    expect(mentionQuery('@', 1)).toBe('');
    expect(mentionQuery('mail me@example', 15)).toBeUndefined();
    expect(mentionQuery('hi @Grace and', 13)).toBeUndefined();
  });
});
