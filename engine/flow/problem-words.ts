// Validation problems in a marketer's words: each Ajv error becomes a sentence that names
// the field by its form's own label (the schema's `title`, else its key in words), so
// the API, the CLI and the editor say "Subject is required." rather than "must have
// required property 'subject'". Pure: the validator (validate.ts, registry.checkConfig)
// calls it, and nothing here knows about HTTP or React.
import type { ErrorObject } from 'ajv';
import { humanize } from './diff.js';
import { DURATION_PATTERN } from '../plugin/duration.js';

export interface Problem {
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;
const isSchema = (s: unknown): s is Schema => typeof s === 'object' && s !== null && !Array.isArray(s);

/** The words for an unknown key; validate.ts refuses these even in a draft. */
export const unknownSettingMessage = (key: string): string => `“${key}” is not a setting of this step: remove it.`;
export const isUnknownSetting = (message: string): boolean => /^“.*” is not a setting of this step: remove it\.$/.test(message);

/** "a change of 0 points does nothing" → "A change of 0 points does nothing." */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/**
 * The label of the schema at `pointer` under `root` (its title, else its key in words),
 * with the list item it sits in: "URL (Connected content 2)".
 */
export function fieldTitle(root: unknown, pointer: string, ownTitle?: unknown): string {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (keys.length === 0) return 'This step';
  let schema: unknown = root;
  let title = '';
  let within = '';
  keys.forEach((key, i) => {
    const s = branchWith(schema, key);
    const isIndex = /^\d+$/.test(key);
    if (isIndex && isSchema(s) && s.items !== undefined) {
      if (i < keys.length - 1) within = `${title} ${Number(key) + 1}`;
      schema = s.items;
      title = `${title} ${Number(key) + 1}`;
      return;
    }
    const props = isSchema(s) && isSchema(s.properties) ? s.properties : undefined;
    const next = props?.[key] ?? (isSchema(s) && isSchema(s.additionalProperties) ? s.additionalProperties : isSchema(s) && isSchema(s.patternProperties) ? Object.values(s.patternProperties)[0] : undefined);
    schema = next;
    title = isSchema(next) && typeof next.title === 'string' ? next.title : humanize(key);
  });
  if (typeof ownTitle === 'string') title = ownTitle;
  return within && !title.startsWith(within) ? `${title} (${within})` : title;
}

/** The schema itself, or the branch of its union that has `key`. */
function branchWith(schema: unknown, key: string): unknown {
  if (!isSchema(schema)) return schema;
  const branches = [...((schema.anyOf as unknown[]) ?? []), ...((schema.oneOf as unknown[]) ?? []), ...((schema.allOf as unknown[]) ?? [])];
  if (!branches.length) return schema;
  if (/^\d+$/.test(key)) return branches.find((b) => isSchema(b) && b.items !== undefined) ?? schema;
  return branches.find((b) => isSchema(b) && isSchema(b.properties) && key in b.properties) ?? schema;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text', integer: 'a whole number', number: 'a number', boolean: 'yes or no', array: 'a list', object: 'a group of settings', null: 'empty',
};
const CHAR_WORDS: [RegExp, string][] = [
  [/A-Za-z|a-zA-Z/, 'letters'], [/a-z/, 'lower-case letters'], [/A-Z/, 'capital letters'], [/0-9|\\d/, 'digits'],
  [/_/, 'underscores'], [/-(?=\]|$)|^-|\\-/, 'dashes'], [/\./, 'dots'], [/:/, 'colons'], [/ /, 'spaces'],
];
/** "A-Za-z0-9_" → letters, digits and underscores. */
const charWords = (set: string): string[] => CHAR_WORDS.filter(([re]) => re.test(set)).map(([, w]) => w).filter((w, _i, all) => !(w !== 'letters' && w.endsWith('letters') && all.includes('letters')));
const list = (words: string[], last = 'and'): string => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`);

/** What a pattern asks for, in words, for the patterns Tend's nodes use and those shaped like them. */
function patternWords(pattern: string, schema: Schema): string {
  if (pattern === DURATION_PATTERN || pattern.endsWith(DURATION_PATTERN.slice(1)) || schema.format === 'duration') {
    return pattern.startsWith('^-?') ? 'must be a duration like "3 days" or "-2 hours"' : 'must be a duration like "3 days"';
  }
  if (pattern === '^([01]\\d|2[0-3]):[0-5]\\d$') return 'must be a time of day like "09:30"';
  if (pattern.startsWith('^https?://')) return 'must be a web address starting with https://';
  if (pattern.startsWith('^properties')) return 'must name an event property, like "properties.total"';
  if (pattern.startsWith('^attributes')) return 'must name a contact attribute, like "attributes.plan"';
  const chars = /^\^(?:\(\?![^)]*\)\$?\)?)?\[([^\]]+)\](?:\[([^\]]+)\]\{0,(\d+)\}|\{1,(\d+)\}|[*+])\$$/.exec(pattern);
  if (chars) {
    const words = charWords(chars[2] ?? chars[1]!);
    const first = chars[2] ? charWords(chars[1]!).map((w) => w.replace(/s$/, '')) : [];
    const longest = chars[3] ? Number(chars[3]) + 1 : chars[4] ? Number(chars[4]) : undefined;
    return `may hold only ${list(words)}${first.length ? `, starting with a ${list(first, 'or')}` : ''}${longest ? `, at most ${longest} characters` : ''}`;
  }
  const starts = /^\^\(([^()]+)\)/.exec(pattern);
  if (starts) return `must start with ${list(starts[1]!.split('|').map((s) => `"${s.replace(/\\\./g, '.').replace(/\\/g, '')}"`), 'or')}`;
  // An example from the schema: one its description gives ("e.g. …"), else its examples or its default.
  const example = (typeof schema.description === 'string' ? /e\.g\.,? ("[^"]+"|\S+)/.exec(schema.description)?.[1] : undefined)
    ?? (Array.isArray(schema.examples) && typeof schema.examples[0] === 'string' ? quote(schema.examples[0]) : typeof schema.default === 'string' ? quote(schema.default) : undefined);
  return example ? `is not in the expected form (for example ${example.replace(/[,;)]$/, '')})` : 'is not in the expected form';
}

const quote = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** One Ajv error as a sentence naming the field; `root` is the schema the value was checked against. */
export function errorSentence(e: ErrorObject, root: unknown): Problem {
  const parent = (isSchema(e.parentSchema) ? e.parentSchema : {}) as Schema;
  const title = fieldTitle(root, e.instancePath, e.keyword === 'required' ? undefined : parent.title);
  const p = e.params as Record<string, unknown>;
  const at = (message: string, path = e.instancePath) => ({ path, message: sentence(message) });
  switch (e.keyword) {
    case 'required': {
      const key = String(p.missingProperty);
      const path = `${e.instancePath}/${key}`;
      const own = isSchema(parent.properties) ? (parent.properties as Schema)[key] : undefined;
      return at(`${fieldTitle(root, path, isSchema(own) ? own.title : undefined)} is required`, path);
    }
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return { path: `${e.instancePath}/${key}`, message: unknownSettingMessage(key) };
    }
    case 'type': {
      const types = String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t);
      return at(`${title} must be ${list(types, 'or')}`);
    }
    case 'minLength': return at(Number(p.limit) === 1 ? `${title} cannot be empty` : `${title} must be at least ${plural(Number(p.limit), 'character')} long`);
    case 'maxLength': return at(`${title} must be at most ${plural(Number(p.limit), 'character')} long`);
    case 'pattern': return at(`${title} ${patternWords(String(p.pattern), parent)}`);
    case 'format': {
      const words: Record<string, string> = { email: 'an email address', uri: 'a web address', url: 'a web address', 'date-time': 'a date and time', date: 'a date', time: 'a time', uuid: 'an id (UUID)', hostname: 'a host name', ipv4: 'an IP address', ipv6: 'an IP address' };
      return at(`${title} must be ${words[String(p.format)] ?? `a valid ${String(p.format)}`}`);
    }
    case 'minimum': return at(`${title} must be at least ${String(p.limit)}`);
    case 'maximum': return at(`${title} must be at most ${String(p.limit)}`);
    case 'exclusiveMinimum': return at(`${title} must be more than ${String(p.limit)}`);
    case 'exclusiveMaximum': return at(`${title} must be less than ${String(p.limit)}`);
    case 'multipleOf': return at(`${title} must be a multiple of ${String(p.multipleOf)}`);
    case 'minItems': return at(Number(p.limit) === 1 ? `${title} needs at least one entry` : `${title} needs at least ${plural(Number(p.limit), 'entry').replace('entrys', 'entries')}`);
    case 'maxItems': return at(`${title} holds at most ${plural(Number(p.limit), 'entry').replace('entrys', 'entries')}`);
    case 'uniqueItems': return at(`${title} lists the same entry twice`);
    case 'minProperties': return at(`${title} needs at least ${plural(Number(p.limit), 'entry').replace('entrys', 'entries')}`);
    case 'maxProperties': return at(`${title} holds at most ${plural(Number(p.limit), 'entry').replace('entrys', 'entries')}`);
    case 'enum': return at(`${title} must be one of ${list((p.allowedValues as unknown[]).map(quote), 'or')}`);
    case 'const': return at(`${title} must be ${quote(p.allowedValue)}`);
    case 'anyOf': case 'oneOf': {
      const branches = Array.isArray(e.schema) ? e.schema : [];
      const choices = branches.map((b) => (isSchema(b) ? (typeof b.title === 'string' ? b.title : b.const !== undefined ? quote(b.const) : undefined) : undefined));
      if (choices.length && choices.every(Boolean)) return at(`${title} must be one of ${list(choices as string[], 'or')}`);
      // Objects told apart by a constant tag (op: "set"): name the kinds as the form's selector does.
      const tags = branches.map((b) => (isSchema(b) && isSchema(b.properties) ? Object.values(b.properties).find((p) => isSchema(p) && p.const !== undefined) as Schema | undefined : undefined));
      const kinds = tags.every(Boolean) ? ` (${tags.map((t) => humanize(String(t!.const))).join(', ')})` : '';
      return at(`${title} is none of its kinds${kinds}: choose one and fill it in`);
    }
    default: return at(`${title} is not valid`);
  }
}

/**
 * Ajv's errors as sentences. A failed union (anyOf/oneOf) lists every branch's errors;
 * only the branch the value meant (the one whose constant tag it carries, else the one
 * with the fewest errors) is reported, or one sentence when the union is of constants.
 *
 *   plainErrors(validate.errors, schema) // [{ path: '/subject', message: 'Subject is required.' }]
 */
export function plainErrors(errors: ErrorObject[], root: unknown): Problem[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const dropped = new Set<ErrorObject>();
  for (const u of unions) {
    // The same union checks every item of a list: an error is this one's when it is under its value too.
    const inside = (e: ErrorObject) => e !== u && e.schemaPath.startsWith(`${u.schemaPath}/`) && (e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`));
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors.filter(inside)) {
      const branch = e.schemaPath.slice(u.schemaPath.length + 1).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const constants = (Array.isArray(u.schema) ? u.schema : []).every((b) => isSchema(b) && (b.const !== undefined || Array.isArray(b.enum)));
    // A branch whose tag (a constant on a direct property) the value does not carry was not meant.
    const meant = [...branches.entries()].filter(([, es]) => !es.some((e) => (e.keyword === 'const' || e.keyword === 'enum') && e.instancePath !== u.instancePath));
    const typed = meant.filter(([, es]) => !es.some((e) => e.keyword === 'type' && e.instancePath === u.instancePath));
    const best = (typed.length ? typed : meant).sort((a, b) => a[1].length - b[1].length)[0];
    if (constants || !best) {
      for (const e of errors.filter(inside)) dropped.add(e);
    } else {
      for (const e of errors.filter(inside)) if (!best[1].includes(e)) dropped.add(e);
      dropped.add(u);
    }
  }
  const seen = new Set<string>();
  return errors.filter((e) => !dropped.has(e)).map((e) => errorSentence(e, root)).filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Handlebars' parse errors ("Expecting 'OPEN_ENDBLOCK', got 'EOF'") said as what to fix. */
function syntaxWords(message: string): string {
  const line = /on line (\d+)/.exec(message)?.[1];
  const where = line ? ` (line ${line})` : '';
  const hint = /\(to close a .*\)$/.exec(message)?.[0] ?? '';
  if (/doesn't match/.test(message)) return `a {{/…}} closes a different block than the one that is open${where}`;
  if (/OPEN_ENDBLOCK|OPEN_INVERSE_CHAIN/.test(message) && /got 'EOF'/.test(message)) return `a block opened with {{#…}} is never closed: add its {{/…}}${where}`;
  if (/Expecting 'CLOSE'|CLOSE_UNESCAPED|got 'EOF'|got 'INVALID'/.test(message)) return `a {{ is not closed with }}${where}${hint ? ` ${hint}` : ''}`;
  return `the template does not read${where}: check its {{ }}${hint ? ` ${hint}` : ''}`;
}

/** A template's problem under its field's label: "HTML body: a {{ is not closed with }} (line 1)." */
export function templateSentence(root: unknown, path: string, message: string): string {
  const words = message.startsWith('template syntax: ') ? syntaxWords(message) : message.replace(/^template /, 'the template ');
  return sentence(`${fieldTitle(root, path)}: ${words}`);
}
