// The OpenAPI document names every route the server has, and only those: the routes
// are read from the Express app itself (its routers' layers), not from a list kept by
// hand, so a new route without its entry in server/openapi.ts fails here.
import pg from 'pg';
import { expect, test } from 'vitest';
import { createApp } from '../../server/app.js';
import { openApiDocument } from '../../server/openapi.js';
import { createRegistry } from '../../engine/plugin/registry.js';

interface Layer { rawPath?: unknown; route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }

/** "METHOD /path/{param}" for every route of the app, mounted routers included. */
function routesOf(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') return []; // the editor's catch-all page (a RegExp)
      const path = (prefix + layer.route.path).replace(/:([A-Za-z]+)/g, '{$1}').replace(/(.)\/$/, '$1');
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${path}`);
    }
    if (layer.handle?.stack) return routesOf(layer.handle.stack, typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? prefix + layer.rawPath : prefix);
    return [];
  });
}

test('every route of the server is in the OpenAPI document, and every documented operation has a route', async () => {
  const db = new pg.Pool({ max: 1 }); // never queried: building the app connects to nothing
  const app = createApp({ db, registry: await createRegistry(), apiKey: 'test', signingSecret: 'test', editorDir: '/nonexistent', rateLimitStore: 'memory' });
  const served = new Set(routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack));
  const documented = new Set(Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
  expect(served.size).toBeGreaterThan(60);
  expect([...served].filter((r) => !documented.has(r)).sort(), 'served but not documented').toEqual([]);
  expect([...documented].filter((r) => !served.has(r)).sort(), 'documented but not served').toEqual([]);
  await db.end();
});
