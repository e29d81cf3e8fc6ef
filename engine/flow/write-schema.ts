// Writes the flow document's JSON Schema to the file the repo publishes.
// `npm run schema` after changing document.ts; a test fails while they differ.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { flowJsonSchema } from './json-schema.js';

const file = fileURLToPath(new URL('./tend.flow.v1.schema.json', import.meta.url));
fs.writeFileSync(file, JSON.stringify(flowJsonSchema(), null, 2) + '\n');
console.log(`wrote ${file}`);
