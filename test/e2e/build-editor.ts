// Vitest global setup: builds the editor once before the run when editor/dist is
// missing or older than its sources, so the browser tests always drive current code.
import { ensureEditorBuilt } from '../../server/editor-build.js';

export default async function setup() {
  await ensureEditorBuilt((line) => console.log(line));
}
