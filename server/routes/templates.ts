// GET /api/templates: the program templates bundled in examples/ (any *.json flow
// document there or in examples/templates/), for the editor's "start from a template".
import fs from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import { router } from '../router.js';
import { FLOW_FORMAT } from '../../engine/flow/document.js';
import { route } from '../problem.js';

export function templatesRouter(examplesDir: string): Router {
  const r = router();
  r.get('/', route(async (_req, res) => {
    const templates = [];
    for (const dir of [examplesDir, path.join(examplesDir, 'templates')]) {
      if (!fs.existsSync(dir)) continue;
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
        let doc: { format?: string; name?: string; description?: string; nodes?: unknown[] };
        try { doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')); } catch { continue; }
        if (doc?.format !== FLOW_FORMAT || !Array.isArray(doc.nodes)) continue;
        templates.push({ file: path.relative(examplesDir, path.join(dir, file)), name: doc.name ?? file, description: doc.description ?? '', nodes: doc.nodes.length, document: doc });
      }
    }
    res.json({ templates });
  }));
  return r;
}
