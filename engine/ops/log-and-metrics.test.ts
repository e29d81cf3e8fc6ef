// The logger and the metrics text, as a log collector and Prometheus read them: one
// JSON object per line, levels filtered, secrets redacted wherever they sit, token-like
// path segments shortened; the exposition format with HELP, TYPE and escaped labels,
// one registry per instance.
import { expect, test } from 'vitest';
import { createLog, logLevelOf, redactPath, type LogLevel } from './log.js';
import { createMetrics } from './metrics.js';

const capture = (level?: LogLevel) => {
  const lines: string[] = [];
  return { lines, log: createLog({ level, sink: (l) => lines.push(l) }) };
};

test('one JSON line per call with time, level, msg and the bound fields; below the level nothing', () => {
  const { lines, log } = capture('info');
  log.child({ component: 'dispatch' }).child({ requestId: 'r1' }).info('dispatched', { events: 3 });
  log.debug('hidden');
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!);
  expect(line).toEqual({ time: expect.any(String), level: 'info', msg: 'dispatched', component: 'dispatch', requestId: 'r1', events: 3 });
  expect(Date.parse(line.time)).not.toBeNaN();
  const silent = capture('silent');
  silent.log.error('nothing');
  expect(silent.lines).toEqual([]);
  expect([logLevelOf('WARN'), logLevelOf(undefined), logLevelOf('loud')]).toEqual(['warn', 'info', 'info']);
});

test('secrets are redacted at any depth and in bound fields; errors keep name and message; a bad value never throws', () => {
  const { lines, log } = capture();
  log.warn('call', { headers: { Authorization: 'Bearer abc', accept: 'json' }, apiKey: 'k', nested: [{ password: 'p', smtpToken: 't' }], err: new TypeError('boom'), big: 10n });
  const line = JSON.parse(lines[0]!);
  expect(line.headers).toEqual({ Authorization: '[redacted]', accept: 'json' });
  expect(line.apiKey).toBe('[redacted]');
  expect(line.nested).toEqual([{ password: '[redacted]', smtpToken: '[redacted]' }]);
  expect(line.err).toEqual({ name: 'TypeError', message: 'boom' });
  expect(line.big).toBe('10');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(() => log.info('cyclic', { cyclic })).not.toThrow();
  log.child({ sessionToken: 's3cr3t' }).info('bound', { deep: { a: { b: { c: { d: { e: { f: { password: 'deep-pw' } } } } } } } });
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'bound', sessionToken: '[redacted]' });
  expect(lines.join('\n')).not.toMatch(/s3cr3t|deep-pw/);
});

test('token-like path segments are cut to six characters; ids and words are kept', () => {
  expect(redactPath('/unsubscribe/eyJjIjoiYWJjIiwidCI6MTIzfQ.c2lnbmF0dXJlLXZhbHVl')).toBe('/unsubscribe/eyJjIj…');
  expect(redactPath('/api/contacts/1b4e28ba-2fa1-41d2-883f-0016d3cca427/export')).toBe('/api/contacts/1b4e28ba-2fa1-41d2-883f-0016d3cca427/export');
  expect(redactPath('/api/flows')).toBe('/api/flows');
});

test('metrics text: HELP and TYPE once per family, labels escaped, counters add up, histograms bucket, extra samples appended', async () => {
  const m = createMetrics();
  m.inc('tend_http_requests_total', 'Requests.', { method: 'GET', status: '2xx' });
  m.inc('tend_http_requests_total', 'Requests.', { method: 'GET', status: '2xx' });
  m.inc('tend_http_requests_total', 'Requests.', { method: 'POST', status: '4xx' });
  const text = await m.render([{ name: 'tend_outbox_depth', help: 'Depth.', type: 'gauge', value: 7 }, { name: 'x', help: 'h', type: 'gauge', labels: { v: 'a"b\\c\nd' }, value: 1 }]);
  expect(text).toBe([
    '# HELP tend_http_requests_total Requests.',
    '# TYPE tend_http_requests_total counter',
    'tend_http_requests_total{method="GET",status="2xx"} 2',
    'tend_http_requests_total{method="POST",status="4xx"} 1',
    '',
    '# HELP tend_outbox_depth Depth.',
    '# TYPE tend_outbox_depth gauge',
    'tend_outbox_depth 7',
    '',
    '# HELP x h',
    '# TYPE x gauge',
    'x{v="a\\"b\\\\c\\nd"} 1',
    '',
  ].join('\n'));

  m.observe('tend_http_request_duration_seconds', 'Durations.', 0.02);
  m.observe('tend_http_request_duration_seconds', 'Durations.', 3);
  const lines = (await m.render()).split('\n');
  expect(lines).toContain('# TYPE tend_http_request_duration_seconds histogram');
  expect(lines).toContain('tend_http_request_duration_seconds_bucket{le="0.025"} 1');
  expect(lines).toContain('tend_http_request_duration_seconds_bucket{le="+Inf"} 2');
  expect(lines).toContain('tend_http_request_duration_seconds_sum 3.02');
  expect(lines).toContain('tend_http_request_duration_seconds_count 2');
});

test('metrics of one instance stay out of another (several servers in one process)', async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.inc('tend_activity_failures_total', 'Failures.', { node: 'n', final: 'true' });
  b.inc('tend_activity_failures_total', 'Failures.', { node: 'n', final: 'true' });
  expect(await a.render()).toContain('tend_activity_failures_total{node="n",final="true"} 1');
  expect(await createMetrics().render()).not.toContain('tend_activity_failures_total');
});
