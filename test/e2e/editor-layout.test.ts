// The program editor's layout and themes (issue #13 point 7) in Chromium: the node
// palette and the inspector fold away and the mini map hides, each remembered across a
// reload; the theme follows the system's prefers-color-scheme until the switch in the
// top bar picks one, which is remembered too. In both themes the text on the panels and
// the nodes keeps a WCAG contrast of 4.5:1 or more, the edges on the canvas 3:1 or more.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

/** WCAG contrast ratios of what the page draws: [what, ratio] pairs, measured in the page. */
function contrasts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const rgb = (c: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) throw new Error(`not a colour: ${c}`);
      const [r, g, b, a = 1] = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number);
      return [r!, g!, b!, a];
    };
    /** The background an element's text sits on: its own, else its nearest ancestor's that is opaque. */
    const backgroundOf = (el: Element): string => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (rgb(bg)[3] > 0.5) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).slice(0, 3).map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return Math.round(((x! + 0.05) / (y! + 0.05)) * 100) / 100; };
    const text = (sel: string) => {
      const el = document.querySelector(sel);
      if (!el) throw new Error(`nothing matches ${sel}`);
      return ratio(getComputedStyle(el).color, backgroundOf(el));
    };
    const edge = document.querySelector('.react-flow__edge-path')!;
    return {
      'program name on the top bar': text('[data-testid=program-name]'),
      'palette heading (muted)': text('.palette h3'),
      'node title': text('.tnode-title'),
      'node summary (muted)': text('.tnode-summary'),
      'node figure chip': text('.tnode-counts span'),
      'node waiting chip': text('.tnode-counts .waiting'),
      'edge label': text('.tedge-label'),
      'inspector label': text('.inspector .field-label'),
      'inspector figure': text('.stat-grid dd'),
      'inspector figure name (muted)': text('.stat-grid dt'),
      'edge on the canvas': ratio(getComputedStyle(edge).stroke, backgroundOf(document.querySelector('.react-flow')!)),
    };
  });
}

async function expectReadable(page: Page, theme: string): Promise<void> {
  const c = await contrasts(page);
  for (const [what, r] of Object.entries(c)) expect(r, `${theme}: ${what} has contrast ${r}`).toBeGreaterThanOrEqual(what.startsWith('edge on') ? 3 : 4.5);
}

test('side panels and the mini map fold away and stay so; the theme follows the system or the switch, readable in both', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Layout',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome', html: '<p>Hi</p>' } },
      { id: 'wait', type: 'tend.wait.event', version: 1, config: { eventType: 'activated', timeout: '1 hour' } },
    ],
    edges: [
      { id: 'e0', source: 'signup', sourcePort: 'next', target: 'welcome' },
      { id: 'e1', source: 'welcome', sourcePort: 'next', target: 'wait' },
    ],
  });
  await tend.event({ type: 'signed_up', email: 'ann@example.com' });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.nodes.wait?.waiting === 1, 'a contact waiting', 60_000);

  const { page } = s;
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page, tend);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  // The system says dark, nothing chosen: dark, on the lists and in the editor.
  expect(await theme()).toBe('dark');
  expect(await page.getByTestId('theme-switch').inputValue()).toBe('system');
  await page.getByTestId('program-row').first().waitFor();
  await s.screenshot('programs-dark');
  await page.goto(`${tend.url}/programs/${programId}`);
  await canvasNode(page, 'wait').getByTestId('node-counts').filter({ hasText: '1 waiting' }).waitFor({ timeout: 20_000 });
  await canvasNode(page, 'welcome').click();
  await page.getByTestId('inspector-counts').waitFor();
  expect(await theme()).toBe('dark');
  expect(await page.locator('.react-flow').getAttribute('class')).toContain('dark');
  await expectReadable(page, 'dark');
  await s.screenshot('editor-dark');

  // The switch picks light over the system's dark, and keeps it after a reload.
  await page.getByTestId('theme-switch').selectOption('light');
  expect(await theme()).toBe('light');
  await page.reload();
  await canvasNode(page, 'wait').getByTestId('node-counts').filter({ hasText: '1 waiting' }).waitFor({ timeout: 20_000 });
  expect(await theme()).toBe('light');
  expect(await page.getByTestId('theme-switch').inputValue()).toBe('light');
  await canvasNode(page, 'welcome').click();
  await page.getByTestId('inspector-counts').waitFor();
  await expectReadable(page, 'light');
  await s.screenshot('editor-light');
  // Back to following the system: it changes with it.
  await page.getByTestId('theme-switch').selectOption('system');
  expect(await theme()).toBe('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(theme).toBe('light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(theme).toBe('dark');

  // Panels: the palette and the inspector fold to rails, the canvas takes their room.
  const canvasWidth = async () => (await page.getByTestId('canvas').boundingBox())!.width;
  const wide = await canvasWidth();
  await page.getByTestId('fold-palette').click();
  await page.getByTestId('unfold-palette').waitFor();
  expect(await page.getByRole('complementary', { name: 'Node palette' }).count()).toBe(0);
  await page.getByTestId('fold-inspector').click();
  await page.getByTestId('unfold-inspector').waitFor();
  expect(await page.getByRole('complementary', { name: 'Inspector' }).count()).toBe(0);
  await expect.poll(canvasWidth).toBeGreaterThan(wide + 400);
  // The mini map hides from the canvas controls.
  expect(await page.locator('.react-flow__minimap').count()).toBe(1);
  await page.getByTestId('toggle-minimap').click();
  expect(await page.locator('.react-flow__minimap').count()).toBe(0);
  await s.screenshot('editor-folded');
  // All three are remembered.
  await page.reload();
  await page.getByTestId('unfold-palette').waitFor();
  await page.getByTestId('unfold-inspector').waitFor();
  await page.getByTestId('toggle-minimap').waitFor();
  expect(await page.locator('.react-flow__minimap').count()).toBe(0);
  expect(await page.getByTestId('toggle-minimap').getAttribute('aria-pressed')).toBe('false');
  // And come back.
  await page.getByTestId('unfold-palette').click();
  await page.getByRole('complementary', { name: 'Node palette' }).waitFor();
  await page.getByTestId('unfold-inspector').click();
  await page.getByRole('complementary', { name: 'Inspector' }).waitFor();
  await page.getByTestId('toggle-minimap').click();
  await page.locator('.react-flow__minimap').waitFor();
  await page.reload();
  await page.getByRole('complementary', { name: 'Node palette' }).waitFor();
  await page.getByRole('complementary', { name: 'Inspector' }).waitFor();
  await page.locator('.react-flow__minimap').waitFor();
  expectNoBrowserErrors(s);
}, 120_000);
