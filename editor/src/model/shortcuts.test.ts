import { expect, test } from 'vitest';
import { actionFor } from './shortcuts.js';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) =>
  actionFor({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

test('editing shortcuts work with Ctrl and with ⌘', () => {
  expect(press('z', { ctrlKey: true })).toBe('undo');
  expect(press('z', { metaKey: true })).toBe('undo');
  expect(press('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
  expect(press('y', { ctrlKey: true })).toBe('redo');
  expect(['c', 'x', 'v', 'd', 'a', 's'].map((k) => press(k, { metaKey: true }))).toEqual(['copy', 'cut', 'paste', 'duplicate', 'selectAll', 'save']);
});

test('single keys: delete, layout, fit, search, help, clear; letters with a modifier are left to the browser', () => {
  expect(press('Delete')).toBe('delete');
  expect(press('Backspace')).toBe('delete');
  expect(press('l')).toBe('layout');
  expect(press('f')).toBe('fit');
  expect(press('/')).toBe('search');
  expect(press('?', { shiftKey: true })).toBe('help');
  expect(press('Escape')).toBe('clear');
  expect(press('l', { ctrlKey: true })).toBeUndefined();
  expect(press('r', { ctrlKey: true })).toBeUndefined();
  expect(press('q')).toBeUndefined();
});
