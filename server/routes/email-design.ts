// GET /api/email-design: what an email is dressed in, for the Messages screen: the
// sender address, the layouts an email node may choose and the other partials, each
// with its Handlebars source and where it comes from (built in, or the templates
// folder, TEND_TEMPLATES_DIR). They are files, versioned with the deployment: the
// screen shows and previews them (POST /api/flows/preview-email with `layout`).
import type { Router } from 'express';
import { router } from '../router.js';
import { templateParts } from '../../engine/delivery/templates.js';
import { route } from '../problem.js';

export function emailDesignRouter(opts: { mailFrom: string; templatesDir?: string }): Router {
  const r = router();
  r.get('/', route(async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ sender: { from: opts.mailFrom }, ...templateParts(opts.templatesDir) });
  }));
  return r;
}
