// The plugin registry: built-in nodes and third-party packages are loaded the same
// way, from module specifiers, and each plugin's config schema is compiled once.
import { conditionShapeProblems, isUnder } from './condition-words.js';
import { templateFields } from '../delivery/templates.js';
import { templateProblem } from '../delivery/template-check.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { NodePlugin, PluginDescription } from './index.js';
import { pluginEntry } from './entry.js';
import { portsOf } from '../flow/ports.js';
import { plainErrors, sentence, templateSentence } from '../flow/problem-words.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface ConfigProblem {
  path: string;
  message: string;
}

export function newAjv(): Ajv {
  // verbose: errors carry their schema, so a condition's failed union can be recognised.
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, verbose: true });
  addFormats(ajv);
  ajv.addFormat('duration', true);
  ajv.addFormat('template', true);
  return ajv;
}

export function ajvProblems(errors: ErrorObject[] | null | undefined, prefix: string): ConfigProblem[] {
  return (errors ?? [])
    .map((e) => {
      let where = prefix + e.instancePath;
      let message = e.message ?? 'is invalid';
      if (e.keyword === 'required') where += '/' + String(e.params.missingProperty);
      if (e.keyword === 'additionalProperties') {
        where += '/' + String(e.params.additionalProperty);
        message = 'is not a known field';
      }
      if (e.keyword === 'enum') message += ': ' + (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      if (e.keyword === 'const') message = 'must be ' + JSON.stringify(e.params.allowedValue);
      return { path: where, message };
    });
}

/**
 * Ajv's errors as sentences naming each field by its form's label (flow/problem-words.ts);
 * under a condition that fails the condition language's union, Ajv lists every branch
 * ("must have required property 'all'", "must match a schema in anyOf"), so the
 * sentences of condition-words.ts say what is missing instead.
 */
export function plainConditionProblems(errors: ErrorObject[], config: unknown, prefix: string, schema?: unknown): ConfigProblem[] {
  const conditions = errors
    .filter((e) => e.keyword === 'anyOf' && (e.parentSchema as { $id?: string } | undefined)?.$id === 'Condition')
    .map((e) => e.instancePath)
    .filter((path, _i, all) => !all.some((outer) => outer !== path && isUnder(path, outer)));
  const plain = conditions.flatMap((path) => conditionShapeProblems(valueAt(config, path), path));
  const rest = errors.filter((e) => !conditions.some((path) => isUnder(e.instancePath, path)));
  return [...plain, ...plainErrors(rest, schema)].map((p) => ({ path: prefix + p.path, message: p.message }));
}

function valueAt(root: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
}

/** Ajv reports every branch of a failed union; keep the most specific messages. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = p.path + '\u0000' + p.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export class Registry {
  private readonly plugins = new Map<string, NodePlugin>();
  private readonly validators = new Map<string, ValidateFunction>();
  readonly sources = new Map<string, string>();

  register(plugin: NodePlugin, source = 'built-in'): void {
    assertPluginShape(plugin, source);
    if (this.plugins.has(plugin.id)) throw new Error(`Plugin ${plugin.id} from ${source} is already registered by ${this.sources.get(plugin.id)}`);
    this.plugins.set(plugin.id, plugin);
    this.sources.set(plugin.id, source);
  }

  get(id: string): NodePlugin | undefined {
    return this.plugins.get(id);
  }

  list(): NodePlugin[] {
    return [...this.plugins.values()];
  }

  /** Validates a config against the plugin's schema and its own checks. */
  checkConfig(plugin: NodePlugin, config: unknown, prefix = ''): ConfigProblem[] {
    let validate = this.validators.get(plugin.id);
    if (!validate) {
      // One Ajv per plugin: shared sub-schemas (the condition language) carry $ids
      // that one Ajv instance would refuse to see twice.
      validate = newAjv().compile(JSON.parse(JSON.stringify(plugin.configSchema)));
      this.validators.set(plugin.id, validate);
    }
    // Template problems come with the form's other problems, in the same answer: a
    // template that does not read is said at once, not once the rest of the form is right.
    const templates: ConfigProblem[] = [];
    for (const field of templateFields(plugin.configSchema, config)) {
      const problem = templateProblem(field.template);
      if (problem) templates.push({ path: prefix + field.path, message: templateSentence(plugin.configSchema, field.path, problem) });
    }
    if (!validate(config)) {
      const shape = plainConditionProblems(validate.errors ?? [], config, prefix, plugin.configSchema);
      return dedupe([...shape, ...templates.filter((t) => !shape.some((s) => s.path === t.path))]);
    }
    return [...templates, ...(plugin.check?.(config) ?? []).map((p) => ({ path: prefix + p.path, message: sentence(p.message) }))];
  }

  /** Brings a config from `fromVersion` up to the plugin's version; undefined when no path exists. */
  migrateConfig(plugin: NodePlugin, fromVersion: number, config: unknown): unknown | undefined {
    if (fromVersion === plugin.version) return config;
    if (fromVersion > plugin.version) return undefined;
    let current = config;
    for (let v = fromVersion; v < plugin.version; v++) {
      const step = plugin.migrations?.[v];
      if (!step) return undefined;
      current = step(structuredClone(current));
    }
    return current;
  }

  /** The public catalogue: what `/api/node-types` serves and the editor builds its palette from. */
  describe(): (Omit<PluginDescription, 'migrations' | 'check'> & { source: string; configSchema: unknown })[] {
    return this.list().map((p) => ({
      id: p.id,
      version: p.version,
      category: p.category,
      title: p.title,
      description: p.description,
      configSchema: JSON.parse(JSON.stringify(p.configSchema)),
      ports: p.ports,
      dynamicPorts: p.dynamicPorts,
      summary: p.summary,
      waits: p.waits ?? false,
      ...(p.waitingLabel ? { waitingLabel: p.waitingLabel } : {}),
      source: this.sources.get(p.id) ?? 'built-in',
    }));
  }

  portsOf(plugin: NodePlugin, config: unknown) {
    return portsOf(plugin, config);
  }
}

function assertPluginShape(p: NodePlugin, source: string): void {
  const where = `plugin ${JSON.stringify((p as { id?: unknown })?.id)} from ${source}`;
  if (!p || typeof p !== 'object') throw new Error(`${source} exported something that is not a plugin`);
  if (typeof p.id !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(p.id)) throw new Error(`${where}: id must be namespaced, like "acme.crm.task"`);
  if (!Number.isInteger(p.version) || p.version < 1) throw new Error(`${where}: version must be an integer ≥ 1`);
  if (!['trigger', 'wait', 'logic', 'action'].includes(p.category)) throw new Error(`${where}: category must be trigger, wait, logic or action`);
  if (typeof p.run !== 'function') throw new Error(`${where}: run(ctx) is missing`);
  if (p.category === 'trigger' && typeof p.trigger !== 'function') throw new Error(`${where}: a trigger needs trigger(config)`);
  if (!Array.isArray(p.ports)) throw new Error(`${where}: ports must be a list`);
}

/** Plugins exported by a module: a default export that is a plugin, a list of plugins, or `{ plugins }`. */
export function pluginsOf(mod: Record<string, unknown>): NodePlugin[] {
  const candidate = (mod.default ?? mod.plugins ?? mod) as unknown;
  if (Array.isArray(candidate)) return candidate as NodePlugin[];
  if (candidate && typeof candidate === 'object' && Array.isArray((candidate as { plugins?: unknown }).plugins)) return (candidate as { plugins: NodePlugin[] }).plugins;
  if (candidate && typeof candidate === 'object' && 'run' in candidate) return [candidate as NodePlugin];
  throw new Error('the module exports no plugin (expected a default export of a plugin, a list, or { plugins })');
}

/** Loads third-party plugins from package names or paths (relative to `cwd`). */
export async function loadPlugins(registry: Registry, specs: string[], cwd = process.cwd()): Promise<void> {
  for (const spec of specs) {
    const isPath = spec.startsWith('.') || spec.startsWith('/');
    let mod: Record<string, unknown>;
    try {
      // A path may name a plugin package's folder: load the entry its package.json names.
      const target = isPath ? pathToFileURL(pluginEntry(path.resolve(cwd, spec))).href : spec;
      mod = await import(target);
    } catch (err) {
      throw new Error(`TEND_PLUGINS: could not load ${spec}: ${(err as Error).message}`, { cause: err });
    }
    for (const plugin of pluginsOf(mod)) registry.register(plugin, spec);
  }
}

export async function createRegistry(extra: string[] = []): Promise<Registry> {
  const registry = new Registry();
  const builtIns = await import('../../nodes/index.js');
  for (const plugin of pluginsOf(builtIns)) registry.register(plugin, 'built-in');
  await loadPlugins(registry, extra);
  return registry;
}
