// The Express application: the JSON API under /api (bearer key), the published
// schemas, the unsubscribe pages, website tracking (t.js, /t/collect) and hosted
// forms, and the built editor at the root.
import { engagementRouter } from './routes/engagement.js';
import { scoringRulesRouter } from './routes/scoring-rules.js';
import { segmentsRouter } from './routes/segments.js';
import { commentsRouter, presenceRouter } from './routes/comments.js';
import { dashboardRouter } from './routes/dashboard.js';
import { messagesRouter } from './routes/messages.js';
import { experimentsRouter } from './routes/experiments.js';
import { attributionRouter } from './routes/attribution.js';
import { predictiveRouter } from './routes/predictive.js';
import { refuseDeepJson, refuseOddUrls } from './input.js';
import { editorPolicy, securityHeaders } from './security-headers.js';
import { messagingPolicyRouter } from './routes/messaging-policy.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Db } from '../engine/storage/db.js';
import type { RateLimitStoreKind } from '../engine/ops/config.js';
import type { Registry } from '../engine/plugin/registry.js';
import { flowJsonSchema } from '../engine/flow/json-schema.js';
import { authenticate, requirePermission } from './auth.js';
import { router } from './router.js';
import { apiKeysRouter } from './routes/api-keys.js';
import { problemHandler, notFound, methodGuard } from './problem.js';
import { authRouter, usersRouter, auditRouter } from './routes/people.js';
import { auditChanges } from './audit.js';
import type { Mailer } from '../engine/delivery/mailer.js';
import type { SingleSignOn } from '../engine/access/oidc.js';
import { flowsRouter } from './routes/flows.js';
import { eventsRouter } from './routes/events.js';
import { contactsRouter } from './routes/contacts.js';
import { unsubscribeRouter } from './routes/unsubscribe.js';
import { preferencesRouter } from './routes/preferences.js';
import { topicsRouter } from './routes/topics.js';
import { rfmSettingsRouter } from './routes/rfm-settings.js';
import { stagesRouter } from './routes/stages.js';
import { secretsRouter } from './routes/secrets.js';
import { preferencePageRouter } from './routes/preference-page.js';
import { emailDesignRouter } from './routes/email-design.js';
import { pageViewsRouter } from './routes/page-views.js';
import { openApiDocument } from './openapi.js';
import { previewRouter } from './routes/preview.js';
import { templatesRouter } from './routes/templates.js';
import { createRenderer, type Renderer } from '../engine/delivery/templates.js';
import { collectRouter } from './routes/collect.js';
import { siteKeysRouter } from './routes/site-keys.js';
import { trackerScript } from './routes/tracker-script.js';
import { formsRouter } from './routes/forms.js';
import { formPagesRouter } from './routes/form-pages.js';
import { websiteContentRouter } from './routes/website-content.js';
import { contentSlotsRouter } from './routes/content-slots.js';
import { formPopupsRouter } from './routes/form-popups.js';
import { landingPagesRouter } from './routes/landing-pages.js';
import { landingPageViewRouter } from './routes/landing-page-view.js';
import { createContentServer } from '../engine/delivery/website-content.js';
import { createRateLimiter, type RateLimit } from './rate-limit.js';
import { createMemoryStore } from './rate-limit-memory.js';
import { createPostgresStore } from './rate-limit-postgres.js';
import type { Client } from '@temporalio/client';
import { createLog, type Log } from '../engine/ops/log.js';
import type { Metrics } from '../engine/ops/metrics.js';
import { requestLog } from './request-log.js';
import { opsRouter } from './routes/ops.js';
import { personalDataRouter } from './routes/personal-data.js';
import { catalogueRouter } from './routes/catalogue.js';

export interface AppDeps {
  db: Db;
  registry: Registry;
  apiKey: string;
  signingSecret: string;
  /** Called after events are stored, to dispatch them without waiting for the sweep. */
  onEventsStored?: () => void;
  editorDir?: string;
  /** Renders email previews; defaults to one over `templatesDir`, as the worker renders. */
  render?: Renderer;
  /** TEND_TEMPLATES_DIR: the partials and layouts the worker renders with. */
  templatesDir?: string;
  examplesDir?: string;
  /** Per-client-IP limit of the public endpoints; defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit;
  /** Where the rate limits' buckets live (TEND_RATE_LIMIT_STORE); defaults to postgres, shared by every server. */
  rateLimitStore?: RateLimitStoreKind;
  /** Express `trust proxy` (default loopback): set it to the load balancer's hops. */
  trustProxy?: string;
  /** JSON-lines logger (one line per request); standard output at info by default. */
  log?: Log;
  /** In-process counters shown at /metrics with the database's figures. */
  metrics?: Metrics;
  /** The server's Temporal client: readiness checks it, erasure ends runs with it. */
  temporal?: Client;
  /** TEND_METRICS_TOKEN: a key that may read /metrics besides the admin API key. */
  metricsToken?: string;
  /** Sends invitations to people; none: inviting answers 503. */
  mailer?: Mailer;
  /** The From of Tend's own mail (invitations). */
  mailFrom?: string;
  /** Where Tend is reached (links in invitations); asked when a link is made. */
  publicUrl?: () => string;
  /** Single sign-on (TEND_OIDC_*). */
  sso?: SingleSignOn;
}

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

const defaultEditorDir = path.join(root, 'editor', 'dist');

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The scope rules name paths exactly; routing must not find `/keys` at `/KEYS`.
  app.set('case sensitive routing', true);
  const trust = deps.trustProxy ?? 'loopback';
  app.set('trust proxy', /^\d+$/.test(trust) ? Number(trust) : trust); // a number counts hops
  app.use(refuseOddUrls);
  // No page of Tend's may be framed by another site (clickjacking), except hosted forms,
  // which a customer may put in an iframe on their own site (server/security-headers.ts).
  app.use(securityHeaders());
  const log = deps.log ?? createLog();
  app.use(requestLog(log, deps.metrics));
  // Every public endpoint is rate-limited per client IP, before any work is done (and
  // after the request is logged, so refusals show in the logs).
  const store = deps.rateLimitStore === 'memory' ? createMemoryStore() : createPostgresStore(deps.db, log.child({ component: 'rate-limit' }));
  const limit = createRateLimiter(store, deps.rateLimit);
  app.use('/t/collect', limit('tracking'));
  app.use('/f', limit('forms'));
  app.use('/t/content', limit('content'));
  app.use('/p', limit('pages'));
  app.use(['/o', '/c', '/unsubscribe', '/preferences', '/confirm'], limit('links'));
  // Signing in is rate-limited per client as well as locked per account (engine/access/people.ts).
  app.use('/api/auth', limit('sign-in'));
  // Built once: it depends on nothing that changes while Tend runs.
  const apiDocument = openApiDocument();
  app.use(methodGuard(apiDocument.paths as Record<string, Record<string, unknown>>, (p) => p === '/t/collect' || p === '/t/content' || p.startsWith('/f/')));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.use(opsRouter({ db: deps.db, temporal: deps.temporal?.connection, metrics: deps.metrics, metricsTokens: [deps.apiKey, deps.metricsToken ?? ''] }));
  app.get('/schemas/tend.flow.v1.json', (_req, res) => void res.json(flowJsonSchema()));
  app.get('/api/openapi.json', (_req, res) => void res.json(apiDocument));
  app.use('/unsubscribe', unsubscribeRouter(deps.db, deps.signingSecret));
  app.use('/preferences', preferencesRouter(deps.db, deps.signingSecret));
  app.use(engagementRouter(deps.db, deps.signingSecret));
  // Website tracking: the script and where it sends (public, site key only).
  app.get('/t.js', trackerScript());
  app.use(collectRouter(deps.db, deps.signingSecret, deps.onEventsStored ?? (() => undefined)));
  // Website content and pop-up forms: their cache is shared with /api/content-slots and
  // /api/forms/:id/popup, which empty it on a change.
  const content = createContentServer(deps.db);
  app.use(websiteContentRouter(content));
  // Landing pages (/p/:slug): public; a view that cannot be recorded is logged and the page served.
  app.use(landingPageViewRouter(deps.db, deps.onEventsStored ?? (() => undefined), { secret: deps.signingSecret, onError: (what, err) => log.warn(what, { err }) }));
  app.use(formPagesRouter(deps.db, deps.onEventsStored ?? (() => undefined), { mailer: deps.mailer, mailFrom: deps.mailFrom ?? 'Tend <tend@localhost>', secret: deps.signingSecret, publicUrl: () => deps.publicUrl?.() ?? '' }));

  // People sign in here, with no key; what a session may do is judged as for keys, below.
  const people = { db: deps.db, mailer: deps.mailer, mailFrom: deps.mailFrom ?? 'Tend <tend@localhost>', publicUrl: () => (deps.publicUrl?.() ?? '').replace(/\/$/, ''), secureCookies: (deps.publicUrl?.() ?? '').startsWith('https:'), sso: deps.sso };
  app.use('/api/auth', authRouter(people));

  const api = router();
  api.use(authenticate(deps.db, deps.apiKey));
  const json = express.json({ limit: '1mb', strict: true, verify: refuseDeepJson() });
  // Each router is mounted behind the scope check of its own mount path (server/scopes.ts),
  // before its body is read: a key that may not write learns so before a parse error.
  const mount = (at: string, handler: express.RequestHandler) => void api.use(at, requirePermission(at), json, auditChanges(deps.db, at, log), handler);
  const nodeTypes = router();
  nodeTypes.get('/', (_req, res) => void res.json({ nodeTypes: deps.registry.describe() }));
  mount('/node-types', nodeTypes);
  mount('/flows/preview-email', previewRouter(deps.db, deps.render ?? createRenderer(deps.templatesDir), { mailer: deps.mailer, mailFrom: deps.mailFrom ?? 'Tend <tend@localhost>' }));
  mount('/flows/:id/experiments', experimentsRouter(deps.db));
  mount('/flows/:id/attribution', attributionRouter(deps.db));
  mount('/flows/:id/comments', commentsRouter(people));
  mount('/flows/:id/presence', presenceRouter(deps.db));
  mount('/flows', flowsRouter(deps.db, deps.registry));
  mount('/templates', templatesRouter(deps.examplesDir ?? path.join(root, 'examples')));
  mount('/events', eventsRouter(deps.db, deps.onEventsStored ?? (() => undefined)));
  mount('/contacts', personalDataRouter({ db: deps.db, temporal: deps.temporal, log }));
  mount('/contacts', contactsRouter(deps.db, deps.onEventsStored));
  mount('/messaging-policy', messagingPolicyRouter(deps.db));
  mount('/scoring-rules', scoringRulesRouter(deps.db));
  mount('/segments', segmentsRouter(deps.db));
  mount('/predictive-score', predictiveRouter(deps.db));
  mount('/topics', topicsRouter(deps.db));
  mount('/rfm-settings', rfmSettingsRouter(deps.db));
  mount('/stages', stagesRouter(deps.db));
  mount('/secrets', secretsRouter(deps.db));
  mount('/preference-page', preferencePageRouter(deps.db));
  mount('/page-views', pageViewsRouter(deps.db));
  mount('/email-design', emailDesignRouter({ mailFrom: deps.mailFrom ?? 'Tend <tend@localhost>', templatesDir: deps.templatesDir }));
  mount('/site-keys', siteKeysRouter(deps.db));
  mount('/keys', apiKeysRouter(deps.db));
  mount('/forms/:id/popup', formPopupsRouter(deps.db, content));
  mount('/forms', formsRouter(deps.db));
  mount('/content-slots', contentSlotsRouter(deps.db, content));
  mount('/landing-pages', landingPagesRouter(deps.db, deps.signingSecret));
  mount('/catalogue', catalogueRouter(deps.db));
  mount('/dashboard', dashboardRouter(deps.db));
  mount('/messages', messagesRouter(deps.db));
  mount('/users', usersRouter(people));
  mount('/audit-log', auditRouter(deps.db));
  api.use(notFound);
  app.use('/api', api);

  const editorDir = deps.editorDir ?? defaultEditorDir;
  if (fs.existsSync(path.join(editorDir, 'index.html'))) {
    app.use(express.static(editorDir, { index: false, maxAge: '1h' }));
    // Any spelling of /api (/API/keys) is the API's 404, never the editor's page.
    app.get(/^\/(?!api(\/|$))/i, editorPolicy, (_req, res) => res.sendFile(path.join(editorDir, 'index.html')));
  }
  app.use(notFound);
  app.use(problemHandler);
  return app;
}
