// `tend simulate FILE --contact JSON --events FILE.jsonl`: prints what the program would
// do for one contact and a timeline — the path, each wait and its wake-up time, every
// message rendered — without a server and without sending anything.
import { secretsOf, templatesDirOf } from '../../engine/ops/config.js';
import fs from 'node:fs';
import type { FlowDocument } from '../../engine/flow/document.js';
import type { Contact, TendEvent } from '../../engine/plugin/index.js';
import { simulate, type SimulatedStep, type SimulationResult } from '../../engine/testing/simulator.js';
import { readJson, localRegistry } from './flows.js';
import { readJsonl } from './rows.js';

export interface SimulateOptions {
  contact?: string;
  events?: string;
  at?: string;
  plugins?: string[];
  json?: boolean;
  html?: boolean;
}

/** `--contact` is JSON or the path of a JSON file. */
function contactOf(arg: string | undefined): Partial<Contact> {
  if (!arg) return {};
  const text = arg.trim().startsWith('{') ? arg : fs.readFileSync(arg, 'utf8');
  try {
    return JSON.parse(text) as Partial<Contact>;
  } catch (err) {
    throw new Error(`--contact: not JSON: ${(err as Error).message}`);
  }
}

function eventsOf(file: string | undefined): Partial<TendEvent>[] {
  if (!file) return [];
  const { records, errors } = readJsonl(fs.readFileSync(file, 'utf8'));
  if (errors.length) throw new Error(errors.map((e) => `${file}:${e.line}: ${e.message}`).join('\n'));
  return records.map((r) => r.raw as Partial<TendEvent>);
}

const time = (iso: string) => iso.replace('T', ' ').replace(/\.000Z$/, 'Z');
const indent = (text: string, prefix: string) => text.split('\n').map((l) => prefix + l).join('\n');

function describe(step: SimulatedStep): string {
  const d = step.directive;
  switch (d.kind) {
    case 'next': return `→ ${d.port}`;
    case 'exit': return `exits${d.reason ? ` (${d.reason})` : ''}`;
    case 'failed': return `fails: ${d.error}${step.port ? ` → ${step.port}` : ''}`;
    case 'sleep': return `waits until ${time(d.until)} → ${d.port}`;
    case 'again': return `deferred until ${time(d.until)}${d.reason ? ` (${d.reason})` : ''}, runs again`;
    case 'waitForEvent': {
      const how = step.wokeBy ? `${step.wokeBy.type} at ${time(step.wokeBy.occurredAt)}` : `timeout at ${time(step.wokeAt!)}`;
      return `waits for ${d.match.type} until ${time(d.until)}: ${how} → ${step.port}`;
    }
  }
}

function effectLines(step: SimulatedStep, html: boolean): string[] {
  const out: string[] = [];
  for (const m of step.effects.emails) {
    const status = m.result.status === 'sent' ? '' : ` [${m.result.status}: ${'reason' in m.result ? m.result.reason : ''}]`;
    out.push(`    email to ${m.recipient ?? '(no address)'}${status}`, `      Subject: ${m.subject}`, indent(html ? m.html : m.text, '      | '));
  }
  for (const m of step.effects.sms) {
    const status = m.result.status === 'sent' ? '' : ` [${m.result.status}: ${'reason' in m.result ? m.result.reason : ''}]`;
    out.push(`    sms to ${m.recipient ?? '(no phone)'}${status}`, indent(m.body, '      | '));
  }
  for (const h of step.effects.http) out.push(`    ${h.request.method} ${h.request.url} (not sent)${h.request.body ? '\n' + indent(h.request.body, '      | ') : ''}`);
  for (const u of step.effects.contactUpdates) out.push(`    contact: ${u.operations.map((o) => JSON.stringify(o)).join(', ')}`);
  for (const s of step.effects.scoreChanges) out.push(`    score ${s.delta > 0 ? '+' : ''}${s.delta} → ${s.score} (${s.reason})`);
  for (const e of step.effects.events) out.push(`    event ${e.type} ${JSON.stringify(e.properties)}`);
  return out;
}

export function formatSimulation(r: SimulationResult, html = false): string {
  const who = r.contact.email ?? r.contact.externalId ?? r.contact.id;
  const lines = [`Dry run of "${r.program}" for ${who} (nothing is sent)`];
  if (!r.entered) return [...lines, 'Not entered: no event in the timeline starts this program.'].join('\n');
  lines.push(`Entered at ${time(r.entered.event.occurredAt)} on ${r.entered.event.type}`);
  const width = Math.max(...r.steps.map((s) => s.node.length));
  for (const s of r.steps) {
    lines.push(`${time(s.at)}  ${s.node.padEnd(width)}  ${s.title}: ${describe(s)}`);
    lines.push(...effectLines(s, html));
  }
  lines.push(`Path: ${r.path.join(' → ')}`);
  lines.push(`Outcome: ${r.outcome}${r.reason ? ` (${r.reason})` : ''} at ${time(r.endedAt!)}`);
  return lines.join('\n');
}

export async function simulateCommand(file: string, opts: SimulateOptions): Promise<number> {
  const registry = await localRegistry(opts.plugins);
  const result = await simulate({
    doc: readJson(file) as FlowDocument,
    registry,
    contact: contactOf(opts.contact),
    events: eventsOf(opts.events),
    start: opts.at ? new Date(opts.at) : undefined,
    secrets: secretsOf(),
    templatesDir: templatesDirOf(),
  });
  console.log(opts.json ? JSON.stringify(result, null, 2) : formatSimulation(result, opts.html));
  return result.outcome === 'failed' ? 1 : 0;
}
