// tend.trigger.page-visit: a contact (known or still anonymous) enters when they visit
// pages of the website that match a pattern — optionally only after a number of page
// views within a window, or after spending a minimum time on the page. Fed by the
// tracking script's `page_view` and `page_left` events.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, type HistoryCount, type TriggerSpec, DURATION_PATTERN, type Condition } from '../engine/plugin/index.js';

const config = Type.Object(
  {
    pattern: Type.String({ minLength: 1, maxLength: 500, default: '/pricing*', title: 'Page', description: 'A path such as /pricing* (* matches anything); a whole-URL pattern when it contains ://' }),
    views: Type.Optional(Type.Object(
      {
        count: Type.Integer({ minimum: 1, maximum: 10000, default: 3, title: 'Page views', description: 'Enter when the contact reaches this many page views…' }),
        within: Type.String({ pattern: DURATION_PATTERN, default: '7 days', title: 'Within', description: '…within this long, e.g. 7 days' }),
        pages: Type.Union([Type.Literal('matching'), Type.Literal('any')], {
          default: 'matching',
          title: 'Count',
          description: 'matching: only views of the page pattern count; any: views of every page count, and the pattern page must be among them',
        }),
      },
      { additionalProperties: false, title: 'Page views within a window' },
    )),
    minSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, title: 'Minimum time on page (seconds)', description: 'Enter when the contact leaves the page after at least this long on it' })),
  },
  { additionalProperties: false },
);

export function pageVisitTrigger(c: { pattern: string; views?: { count: number; within: string; pages: 'matching' | 'any' }; minSeconds?: number }): TriggerSpec {
  const page: Condition = { field: c.pattern.includes('://') ? 'event.properties.url' : 'event.properties.path', op: 'glob', value: c.pattern };
  const spec: TriggerSpec = c.minSeconds === undefined
    ? { eventType: 'page_view', where: c.views?.pages === 'any' ? undefined : page }
    : { eventType: 'page_left', where: { all: [page, { field: 'event.properties.seconds', op: 'gte', value: c.minSeconds }] } };
  if (!c.views) return spec;
  const { count, within, pages } = c.views;
  const counts: HistoryCount[] = [{ eventType: 'page_view', where: pages === 'matching' ? page : undefined, within, atLeast: count }];
  if (pages === 'any') counts.push({ eventType: 'page_view', where: page, within, atLeast: 1 });
  // A page view enters once, on the view that makes the counts hold. Leaving a page
  // (minimum time) is not a view: there, every long enough stay after N views enters.
  return { ...spec, history: { counts, crossing: c.minSeconds === undefined } };
}

export default definePlugin({
  id: 'tend.trigger.page-visit',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Page visited',
  description: 'Starts the program when a website visitor views a page (after N views within a window, or a minimum time on the page).',
  summary: 'On visit to {{pattern}}',
  configSchema: config,
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (c) => pageVisitTrigger(c),
  run: () => directive.next(),
});
