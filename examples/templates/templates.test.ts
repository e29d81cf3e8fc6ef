// The bundled templates (the editor's "start from a template" gallery) stay valid
// against the installed nodes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createRegistry } from '../../engine/plugin/registry.js';
import { validateFlow } from '../../engine/flow/validate.js';

const dir = path.dirname(fileURLToPath(import.meta.url));
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test.each(files)('%s is a valid program', async (file) => {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  expect(validateFlow(doc, await createRegistry())).toEqual([]);
});
