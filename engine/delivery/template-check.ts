// What a template may use, checked when a program is saved rather than when it is
// sent: Tend's helpers and Handlebars' own, partials that exist (the built-in layouts
// and TEND_TEMPLATES_DIR's files), and paths that never walk into prototypes
// (`constructor`, `__proto__`). Rendering refuses those anyway (prototype access is
// off); saying so at the form keeps a template from validating and then failing at
// every send.
import { templatesDirOf } from '../ops/config.js';
import fs from 'node:fs';
import Handlebars from 'handlebars';
import { separateClosingBraces, templateSyntaxProblem, TEND_HELPERS } from './templates.js';

/** Helpers createRenderer registers, and Handlebars' built-ins. */
export const KNOWN_HELPERS = new Set<string>([...TEND_HELPERS, 'if', 'unless', 'each', 'with', 'lookup', 'log']);
const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'hasOwnProperty', 'valueOf', 'toString']);

const partialsByDir = new Map<string, Set<string>>();

/**
 * The partials a template may include: the two layouts, and `name.hbs` files of
 * TEND_TEMPLATES_DIR. Read once per process and folder, as the renderer loads them once
 * (validation asks for every template field of every save).
 */
export function knownPartials(templatesDir = templatesDirOf()): Set<string> {
  const key = templatesDir ?? '';
  let names = partialsByDir.get(key);
  if (!names) {
    names = new Set(['layout-default', 'layout-plain']);
    if (templatesDir && fs.existsSync(templatesDir)) for (const f of fs.readdirSync(templatesDir)) if (f.endsWith('.hbs')) names.add(f.slice(0, -4));
    partialsByDir.set(key, names);
  }
  return names;
}

type Node = { type: string; [key: string]: unknown };

/**
 * The first thing wrong with a template, in a sentence, or undefined.
 *
 *   templateProblem('{{constructor.constructor}}') // 'template uses "constructor", which is not a field …'
 */
export function templateProblem(template: string, partials: Set<string> = knownPartials()): string | undefined {
  return templateProblems(template, partials)[0]?.message;
}

/**
 * Every problem of a template. `dangerous` ones (walking into prototypes, a partial
 * named like a file path) are refused even in a draft; the others (a typo, a helper
 * that does not exist) are a draft's unfinished work, refused at publish.
 */
export function templateProblems(template: string, partials: Set<string> = knownPartials()): { message: string; dangerous: boolean }[] {
  const syntax = templateSyntaxProblem(template);
  if (syntax) return [{ message: syntax, dangerous: false }];
  const found: { message: string; dangerous: boolean }[] = [];
  const problems = { push: (message: string, dangerous = false) => void found.push({ message, dangerous }) };
  const path = (p: Node) => {
    for (const part of (p.parts as string[] | undefined) ?? []) if (FORBIDDEN.has(part)) problems.push(`template uses "${part}", which is not a field of the contact or the event`, true);
  };
  const literal = (n: Node) => {
    if (n.type === 'StringLiteral' && FORBIDDEN.has(String(n.value))) problems.push(`template looks up "${String(n.value)}", which is not a field of the contact or the event`, true);
  };
  const call = (n: Node) => {
    const callee = n.path as Node;
    const params = (n.params as Node[] | undefined) ?? [];
    const hash = ((n.hash as Node | undefined)?.pairs as Node[] | undefined) ?? [];
    const isCall = n.type === 'SubExpression' || n.type === 'BlockStatement' || params.length > 0 || hash.length > 0;
    if (callee?.type === 'PathExpression') {
      const name = String(callee.original);
      if (isCall && !KNOWN_HELPERS.has(name)) problems.push(`template calls "${name}", which is not a helper (helpers: ${[...KNOWN_HELPERS].join(', ')})`);
      else path(callee);
    }
    for (const p of params) visit(p);
    for (const pair of hash) visit(pair.value as Node);
  };
  const visit = (n: Node | undefined): void => {
    if (!n || typeof n !== 'object') return;
    switch (n.type) {
      case 'Program': for (const s of n.body as Node[]) visit(s); return;
      case 'MustacheStatement': case 'SubExpression': call(n); return;
      case 'BlockStatement': call(n); visit(n.program as Node); visit(n.inverse as Node); return;
      case 'PartialStatement': case 'PartialBlockStatement': {
        const name = n.name as Node;
        const id = name.type === 'PathExpression' ? String(name.original) : name.type === 'StringLiteral' ? String(name.value) : undefined;
        if (!id) problems.push('template includes a partial whose name is computed; name it', true);
        else if (/[/\\]|\.\./.test(id)) problems.push(`template includes "${id}": a partial is named, never a file path`, true);
        else if (!partials.has(id)) problems.push(`template includes "${id}", which is not a partial (partials: ${[...partials].join(', ')})`);
        for (const p of (n.params as Node[] | undefined) ?? []) visit(p);
        if (n.type === 'PartialBlockStatement') visit(n.program as Node);
        return;
      }
      case 'PathExpression': path(n); return;
      case 'StringLiteral': literal(n); return;
      default:
    }
  };
  visit(Handlebars.parse(separateClosingBraces(template)) as unknown as Node);
  return found;
}
