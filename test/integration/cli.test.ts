// The `tend` CLI as a user runs it: a child process (`node --import tsx server/cli.ts`)
// against a running Tend's API, checked by its output, exit code and the database.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let dir: string;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-cli-'));
});
afterAll(async () => {
  await tend?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string) => path.join('test/fixtures/cli', name);

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      env: { ...process.env, TEND_URL: tend.url, TEND_API_KEY: tend.apiKey, TEND_PLUGINS: '' },
      maxBuffer: 10 * 1024 * 1024,
    }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

test('flows validate: a good file passes, a bad one lists every problem with its path and exits 1', async () => {
  const good = await cli('flows', 'validate', fixture('onboarding.json'));
  expect(good).toMatchObject({ code: 0, stdout: 'test/fixtures/cli/onboarding.json: valid (8 nodes, 7 edges)\n' });
  const bad = await cli('flows', 'validate', fixture('onboarding.json'), fixture('broken.json'));
  expect(bad.code).toBe(1);
  expect(bad.stdout).toContain('broken.json: 7 problems');
  for (const line of ['/nodes/1/config/duration  Duration must be a duration like "3 days".', '/nodes/2/config/html  HTML body is required.', '/nodes/2/config/subject  Subject cannot be empty.', '/nodes/3/type  The step kind “acme.crm.nope” is not installed', '/edges/1/sourcePort  “Wait” has no output “done” (its outputs: Next)', '/edges/2/target  edge ends at node "ghost"']) {
    expect(bad.stdout).toContain(line);
  }
  const notJson = path.join(dir, 'not.json');
  fs.writeFileSync(notJson, '{\n  "format": "tend.flow/v1",\n  "name": oops\n}');
  expect(await cli('flows', 'validate', notJson)).toMatchObject({ code: 1, stdout: expect.stringMatching(/not\.json(:3:\d+)?: not JSON/) });
});

test('flows import / export round trip gives an equivalent document; list shows the programs', async () => {
  const imported = await cli('flows', 'import', fixture('onboarding.json'), '--publish');
  expect(imported.code).toBe(0);
  const id = /as ([0-9a-f-]{36}), published as version 1/.exec(imported.stdout)?.[1];
  expect(id).toBeDefined();
  const out = path.join(dir, 'exported.json');
  expect((await cli('flows', 'export', id!, '--out', out, '--version', 'live')).code).toBe(0);
  const { $schema, ...exported } = JSON.parse(fs.readFileSync(out, 'utf8'));
  expect($schema).toBe('/schemas/tend.flow.v1.json');
  expect(exported).toEqual(JSON.parse(fs.readFileSync(fixture('onboarding.json'), 'utf8')));

  // A folder: each *.json file; one with problems is kept as a draft and says so.
  const folder = await cli('flows', 'import', 'test/fixtures/cli');
  expect(folder.code).toBe(0);
  expect(folder.stdout).toMatch(/broken\.json: imported "Broken" as [0-9a-f-]{36} \(draft with 7 problems\)/);
  const list = await cli('flows', 'list');
  expect(list.code).toBe(0);
  expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+VERSION\s+CONTACTS\s+NAME$/);
  expect(list.stdout).toMatch(new RegExp(`${id}\\s+live\\s+1\\s+0\\s+Trial onboarding`));
  expect(list.stdout.match(/Broken/g)).toHaveLength(1);

  const wrongKey = await new Promise<number>((resolve) => execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'flows', 'list', '--url', tend.url, '--api-key', 'nope'], (err) => resolve(err ? Number(err.code) : 0)));
  expect(wrongKey).toBe(1);
});

/** 10,000 rows; every 1,000th row from the second on is bad in its own way. */
function contactsCsv(): { file: string; bad: Map<number, RegExp>; good: number } {
  const lines = ['E-mail,Customer ID,Plan,LTV,Newsletter,TZ,tags,Notes'];
  const bad = new Map<number, RegExp>();
  const faults: [string, RegExp][] = [
    ['not-an-email,{id},pro,10,yes,,,', /email \(column "E-mail"\): must match format "email"/],
    ['{email},{id},pro,lots,yes,,,', /attributes\.ltv \(column "LTV"\): "lots" is not a number/],
    ['{email},{id},pro,10,maybe,,,', /consent\.email \(column "Newsletter"\): "maybe" is not yes\/no/],
    ['{email},{id},pro,10', /has 4 fields, the header has 8/],
    ['{email},{id},pro,10,yes,Mars/Base,,', /timezone \(column "TZ"\): "Mars\/Base" is not an IANA time zone/],
    [',,pro,10,yes,,,', /row: name the contact by contactId, externalId or email/],
  ];
  let line = 1;
  for (let i = 1; i <= 10_000; i++) {
    line++;
    const email = `c${i}@example.com`;
    const id = `CUST-${i}`;
    const fault = i % 1000 === 2 ? faults[(i - 2) / 1000 % faults.length] : undefined;
    if (fault) {
      lines.push(fault[0].replace('{email}', email).replace('{id}', id));
      bad.set(line, fault[1]);
    } else if (i === 5) {
      // Quotes, a comma and a line break inside a field: still one row.
      lines.push(`${email},${id},"pro, annual",99.5,yes,Europe/Berlin,"vip;beta","said ""hi""\nby phone"`);
      line++;
    } else {
      lines.push(`${email},${id},${i % 3 ? 'basic' : 'pro'},${i},${i % 2 ? 'yes' : 'no'},,${i % 7 ? '' : 'gold'},note ${i}`);
    }
  }
  const file = path.join(dir, 'contacts.csv');
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  return { file, bad, good: 10_000 - bad.size };
}

test('contacts import: 10,000 CSV rows with a mapping; bad rows reported by line and not stored; a re-run changes nothing', async () => {
  const { file, bad, good } = contactsCsv();
  const map = ['--map', 'email=E-mail,externalId=Customer ID,attributes.plan=Plan,attributes.ltv:number=LTV', '--map', 'consent.email=Newsletter,timezone=TZ'];
  const started = performance.now();
  const first = await cli('contacts', 'import', file, ...map);
  const firstMs = performance.now() - started;
  expect(first.code).toBe(2);
  expect(first.stdout).toContain(`contacts.csv: 10,000 rows — ${good.toLocaleString('en')} created, 0 updated, 0 unchanged, ${bad.size} rejected`);
  for (const [line, reason] of bad) expect(first.stdout).toMatch(new RegExp(`line ${line}: ${reason.source}`));
  expect(first.stderr).toContain('Columns not imported: Notes');
  expect(first.stderr).toMatch(/\[#{30}\] 10,000\/10,000 \(100%\)/);

  const db = tend.services.db;
  const count = async () => Number((await db.query('SELECT count(*) FROM contacts')).rows[0].count);
  expect(await count()).toBe(good);
  const c5 = (await db.query("SELECT * FROM contacts WHERE external_id = 'CUST-5'")).rows[0];
  expect(c5).toMatchObject({ email: 'c5@example.com', timezone: 'Europe/Berlin', tags: ['vip', 'beta'], attributes: { plan: 'pro, annual', ltv: 99.5 }, consent: { email: true } });
  expect((await db.query("SELECT attributes, consent FROM contacts WHERE email = 'c14@example.com'")).rows[0]).toEqual({ attributes: { plan: 'basic', ltv: 14 }, consent: { email: false } });
  // The bad rows' contacts do not exist at all, not even half.
  const badIds = [...Array(10).keys()].map((k) => `CUST-${k * 1000 + 2}`);
  expect(Number((await db.query('SELECT count(*) FROM contacts WHERE external_id = ANY($1)', [badIds])).rows[0].count)).toBe(0);

  const stamp = async () => (await db.query('SELECT max(updated_at) AS at, count(*) FROM contacts')).rows[0];
  const before = await stamp();
  const again = await cli('contacts', 'import', file, ...map);
  expect(again.stdout).toContain(`10,000 rows — 0 created, 0 updated, ${good.toLocaleString('en')} unchanged, ${bad.size} rejected`);
  expect(await stamp()).toEqual(before);
  console.log(`contacts import of 10,000 CSV rows: ${Math.round(firstMs)} ms (CLI process included); re-run ${again.code}`);

  // A changed plan for one contact is an update, and only that contact changes.
  const change = path.join(dir, 'change.jsonl');
  fs.writeFileSync(change, '{"externalId":"CUST-9","attributes":{"plan":"enterprise"}}\n{"email":"c10@example.com","attributes":{"plan":"basic","ltv":10}}\n');
  expect((await cli('contacts', 'import', change)).stdout).toContain('2 rows — 0 created, 1 updated, 1 unchanged, 0 rejected');
  expect((await db.query("SELECT attributes->>'plan' AS plan FROM contacts WHERE external_id = 'CUST-9'")).rows[0].plan).toBe('enterprise');
});

test('events import: history back-filled with occurredAt kept, bad lines reported, a re-run stores nothing twice', async () => {
  const file = path.join(dir, 'events.jsonl');
  fs.writeFileSync(file, [
    '{"type":"order_completed","email":"hist1@example.com","properties":{"total":40},"occurredAt":"2024-02-01T10:00:00Z"}',
    '{"type":"order_completed","email":"hist1@example.com","properties":{"total":55},"occurredAt":"2024-05-01T10:00:00Z"}',
    '',
    '{"type":"tend.sneaky","email":"hist1@example.com"}',
    '{"type":"page_viewed","email":"hist2@example.com","clientId":"pv-1","occurredAt":"2023-12-24T18:00:00Z"}',
    'not json',
  ].join('\n'));
  const first = await cli('events', 'import', file);
  expect(first.code).toBe(2);
  expect(first.stdout).toContain('events.jsonl: 5 rows — 3 stored, 0 already there, 2 rejected');
  expect(first.stdout).toMatch(/line 4: type: must match pattern/);
  expect(first.stdout).toMatch(/line 6: not JSON/);
  const db = tend.services.db;
  const rows = async () => (await db.query("SELECT e.type, e.occurred_at, e.client_id FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email LIKE 'hist%' AND e.type NOT LIKE 'tend.%' ORDER BY e.occurred_at")).rows;
  const stored = await rows();
  expect(stored.map((r) => [r.type, r.occurred_at.toISOString()])).toEqual([
    ['page_viewed', '2023-12-24T18:00:00.000Z'], ['order_completed', '2024-02-01T10:00:00.000Z'], ['order_completed', '2024-05-01T10:00:00.000Z'],
  ]);
  expect(stored[0].client_id).toBe('pv-1');
  const again = await cli('events', 'import', file);
  expect(again.stdout).toContain('5 rows — 0 stored, 3 already there, 2 rejected');
  expect(await rows()).toEqual(stored);
});

test('simulate: two contacts take different branches; waits show wake-up times in the contact’s zone, messages rendered', async () => {
  const ada = await cli('simulate', fixture('onboarding.json'), '--contact', '{"email":"ada@example.com","timezone":"Europe/Berlin","attributes":{"first_name":"Ada"}}', '--events', fixture('pro-trial.jsonl'));
  expect(ada.code).toBe(0);
  expect(ada.stdout).toContain('Path: trial → welcome → next_morning → activated → is_pro → personal\n');
  expect(ada.stdout).toMatch(/next_morning\s+Wait until a date: waits until 2030-03-05 08:00:00Z/);
  expect(ada.stdout).toMatch(/activated\s+Wait for event: waits for project_created until 2030-03-07 08:00:00Z: timeout/);
  expect(ada.stdout).toContain('    email to ada@example.com\n      Subject: Can I help, Ada?\n      | I\'m Sam, your account manager.');
  const bo = await cli('simulate', fixture('onboarding.json'), '--contact', '{"email":"bo@example.com","timezone":"America/New_York","attributes":{"first_name":"Bo"}}', '--events', fixture('basic-trial-activated.jsonl'));
  expect(bo.code).toBe(0);
  expect(bo.stdout).toContain('Path: trial → welcome → next_morning → activated → great\n');
  expect(bo.stdout).toMatch(/waits until 2030-03-05 14:00:00Z/);
  expect(bo.stdout).toContain('project_created at 2030-03-06 08:15:00Z → event');
  expect(bo.stdout).toContain('score +10 → 10 (activated in trial)');
  expect(bo.stdout).not.toContain('Can I help');
});
