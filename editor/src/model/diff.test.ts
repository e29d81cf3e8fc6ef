import { expect, test } from 'vitest';
import { diffPrograms } from './diff.js';
import { cartProgram, catalogue } from './fixtures.js';

test('the draft against the live version, in words; nothing when only positions and key order differ', () => {
  const live = cartProgram();
  const moved = { ...live, nodes: live.nodes.map((n) => ({ ...n, position: { x: 999, y: 1 }, config: Object.fromEntries(Object.entries(n.config ?? {}).reverse()) })) };
  expect(diffPrograms(live, moved, catalogue)).toEqual([]);
  const mail = live.nodes.find((n) => n.id === 'mail')!;
  const draft = {
    ...live,
    nodes: [...live.nodes.filter((n) => n.id !== 'pause').map((n) => (n.id === 'mail' ? { ...n, config: { ...n.config, subject: 'New subject' } } : n)), { ...mail, id: 'mail_2' }],
    edges: [...live.edges, { id: 'e9', source: 'check', sourcePort: 'no', target: 'mail_2' }],
  };
  const texts = diffPrograms(live, draft, catalogue).map((c) => `${c.kind}: ${c.text}`);
  expect(texts.some((t) => t.startsWith('added:') && t.includes('(mail_2)'))).toBe(true);
  expect(texts.some((t) => t.startsWith('removed:') && t.includes('(pause)'))).toBe(true);
  expect(texts.some((t) => t.startsWith('changed:') && t.includes('(mail)') && /subject/i.test(t))).toBe(true);
  expect(texts.some((t) => t.startsWith('connected:') && t.includes('(no)'))).toBe(true);
});
