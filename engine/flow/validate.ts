// The one validator for flow documents, used by the API, the CLI, the editor (through
// the API) and the worker. It returns every problem at once, each with a JSON Pointer.
import { FlowDocument, type FlowNode } from './document.js';
import { newAjv, plainConditionProblems, type Registry } from '../plugin/registry.js';
import { conditionProblems, type Condition } from '../plugin/conditions.js';
import type { NodePlugin } from '../plugin/index.js';
import { templateFields } from '../delivery/templates.js';
import { templateProblems } from '../delivery/template-check.js';
import { attributionProblems } from '../results/attribution-rules.js';
import { isUnknownSetting, sentence } from './problem-words.js';
import { humanize } from './diff.js';

export interface Problem {
  path: string;
  message: string;
}

let documentValidator: ReturnType<ReturnType<typeof newAjv>['compile']> | undefined;

function shapeProblems(doc: unknown): Problem[] {
  documentValidator ??= newAjv().compile(JSON.parse(JSON.stringify(FlowDocument)));
  if (documentValidator(doc)) return [];
  return plainConditionProblems(documentValidator.errors ?? [], doc, '', FlowDocument);
}

/** Returns the node's config brought up to its plugin's version, or undefined when that cannot be done. */
export function migratedConfig(registry: Registry, node: FlowNode): { plugin: NodePlugin; config: unknown } | undefined {
  const plugin = registry.get(node.type);
  if (!plugin) return undefined;
  const config = registry.migrateConfig(plugin, node.version, node.config);
  return config === undefined ? undefined : { plugin, config };
}

export function validateFlow(doc: unknown, registry: Registry): Problem[] {
  const shape = shapeProblems(doc);
  if (shape.length > 0) {
    // Graph checks need well-formed nodes and edges; report the shape first.
    const d = doc as Partial<FlowDocument> | null;
    if (!d || typeof d !== 'object' || !Array.isArray(d.nodes) || !Array.isArray(d.edges)) return shape;
    if (shape.some((p) => /^\/(nodes|edges)\/\d+(\/(id|type|version|source|target|sourcePort|config))?$/.test(p.path))) return shape;
  }
  const flow = doc as FlowDocument;
  const problems: Problem[] = [...shape];
  const nodeIndex = new Map<string, number>();
  const portsByNode = new Map<string, Set<string>>();
  const plugins = new Map<string, NodePlugin>();
  // Problems name a node as the editor shows it (its label, else its kind), never by its id.
  const named = (id: string) => {
    const node = flow.nodes.find((n) => n.id === id);
    return `“${node?.label || registry.get(node?.type ?? '')?.title || node?.type || id}”`;
  };
  const portLabel = (id: string, port: string) => {
    const plugin = plugins.get(id);
    const node = flow.nodes.find((n) => n.id === id);
    const config = plugin && node ? registry.migrateConfig(plugin, node.version, node.config) : undefined;
    return plugin ? registry.portsOf(plugin, config).find((p) => p.name === port)?.label ?? port : port;
  };

  flow.nodes.forEach((node, i) => {
    if (nodeIndex.has(node.id)) problems.push({ path: `/nodes/${i}/id`, message: `node id "${node.id}" is used twice` });
    else nodeIndex.set(node.id, i);
    const plugin = registry.get(node.type);
    if (!plugin) {
      problems.push({ path: `/nodes/${i}/type`, message: `The step kind “${node.type}” is not installed on this Tend: install its plugin, or delete the step.` });
      return;
    }
    const migrated = registry.migrateConfig(plugin, node.version, node.config);
    if (migrated === undefined) {
      problems.push({ path: `/nodes/${i}/version`, message: `node type "${node.type}" has no version ${node.version} (the installed version is ${plugin.version})` });
      return;
    }
    plugins.set(node.id, plugin);
    problems.push(...registry.checkConfig(plugin, migrated, `/nodes/${i}/config`));
    portsByNode.set(node.id, new Set(registry.portsOf(plugin, migrated).map((p) => p.name)));
  });

  const edgeIds = new Set<string>();
  const usedPorts = new Map<string, number>();
  const adjacency = new Map<string, string[]>();
  flow.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) problems.push({ path: `/edges/${i}/id`, message: `edge id "${edge.id}" is used twice` });
    edgeIds.add(edge.id);
    const sourceOk = nodeIndex.has(edge.source);
    const targetOk = nodeIndex.has(edge.target);
    if (!sourceOk) problems.push({ path: `/edges/${i}/source`, message: `edge starts at node "${edge.source}", which does not exist` });
    if (!targetOk) problems.push({ path: `/edges/${i}/target`, message: `edge ends at node "${edge.target}", which does not exist` });
    if (sourceOk) {
      const ports = portsByNode.get(edge.source);
      if (ports && !ports.has(edge.sourcePort)) {
        problems.push({ path: `/edges/${i}/sourcePort`, message: `${named(edge.source)} has no output “${edge.sourcePort}”${ports.size ? ` (its outputs: ${[...ports].map((p) => portLabel(edge.source, p)).join(', ')})` : ' (it has no outputs)'}: connect from one of its outputs, or delete the connection.` });
      }
      const portKey = `${edge.source}\u0000${edge.sourcePort}`;
      if (usedPorts.has(portKey)) problems.push({ path: `/edges/${i}/sourcePort`, message: `The output “${portLabel(edge.source, edge.sourcePort)}” of ${named(edge.source)} is connected twice; an output leads to one step, so delete one of the connections.` });
      else usedPorts.set(portKey, i);
    }
    if (targetOk && plugins.get(edge.target)?.category === 'trigger') problems.push({ path: `/edges/${i}/target`, message: `A connection leads into the trigger ${named(edge.target)}; contacts enter at a trigger, so nothing may lead into it.` });
    if (sourceOk && targetOk) adjacency.set(edge.source, [...(adjacency.get(edge.source) ?? []), edge.target]);
  });

  const triggers = flow.nodes.filter((n) => plugins.get(n.id)?.category === 'trigger');
  if (triggers.length === 0 && flow.nodes.every((n) => plugins.has(n.id) || !registry.get(n.type))) {
    problems.push({ path: '/nodes', message: 'The program has no trigger, so no contact can enter it: add one from Triggers.' });
  }

  if (triggers.length > 0) {
    const reached = new Set<string>();
    // Goal nodes are entered by a jump from anywhere, not along an edge.
    const goals = flow.nodes.filter((n) => plugins.get(n.id)?.goal !== undefined);
    const stack = [...triggers, ...goals].map((t) => t.id);
    while (stack.length) {
      const id = stack.pop()!;
      if (reached.has(id)) continue;
      reached.add(id);
      stack.push(...(adjacency.get(id) ?? []));
    }
    flow.nodes.forEach((node, i) => {
      if (!reached.has(node.id) && nodeIndex.get(node.id) === i) problems.push({ path: `/nodes/${i}`, message: `${named(node.id)} cannot be reached from any trigger: connect a step to it, or delete it.` });
    });
  }

  for (const cycle of cyclesWithoutWait(flow.nodes.map((n) => n.id), adjacency, (id) => plugins.get(id)?.waits === true || plugins.get(id)?.boundsLoops === true)) {
    const first = cycle[0];
    problems.push({ path: `/nodes/${nodeIndex.get(first)}`, message: `The steps ${cycle.map(named).join(' → ')} form a loop with no wait and no loop limit in it; a contact would spin forever.` });
  }

  const goal = flow.settings?.goal as Condition | undefined;
  if (goal) problems.push(...conditionProblems(goal, '/settings/goal', { facts: true }));
  if (flow.settings?.reentry === 'afterPeriod' && !flow.settings.reentryAfter) problems.push({ path: '/settings/reentryAfter', message: 'Reentry after is required when contacts may enter again after a period, e.g. "30 days".' });
  problems.push(...attributionProblems(flow.settings).map((p) => ({ ...p, message: settingWords(p.message) })));
  return problems;
}

/** A settings message with its keys said as the form labels them: "goalValue needs a goal (settings.goal)" → "Goal value needs a goal". */
function settingWords(message: string): string {
  return sentence(message.replace(/ \(settings\.goal\)/g, '').replace(/\b(goalValue|holdoutPercent|attributionWindow|reentryAfter|correlationKey)\b/g, (k) => humanize(k).toLowerCase()));
}

/** Strongly connected components (Tarjan) that loop and contain no waiting node. */
function cyclesWithoutWait(ids: string[], adjacency: Map<string, string[]>, waits: (id: string) => boolean): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  const visit = (start: string) => {
    // Iterative, so a 5,000-node program cannot overflow the call stack.
    const work: [string, number][] = [[start, 0]];
    index.set(start, counter); low.set(start, counter); counter++;
    stack.push(start); onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const next = adjacency.get(v) ?? [];
      if (i < next.length) {
        frame[1]++;
        const w = next[i];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
        const loops = component.length > 1 || (adjacency.get(v) ?? []).includes(v);
        if (loops && !component.some(waits)) result.push(component.reverse());
      }
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return result;
}

/** Control characters, and the marks that reorder text on screen (U+202E shows "exe.txt" as "txt.exe"). */
const UNPRINTABLE_LINE_CHARS = '\\u0000-\\u001F\\u007F-\\u009F\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const UNPRINTABLE_TEXT_CHARS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const UNPRINTABLE_LINE = new RegExp(`[${UNPRINTABLE_LINE_CHARS}]`);
const UNPRINTABLE_TEXT = new RegExp(`[${UNPRINTABLE_TEXT_CHARS}]`);
/** The same rules as JSON Schema patterns, for request schemas that can say them (a rename). */
export const PRINTABLE_LINE = `^[^${UNPRINTABLE_LINE_CHARS}]*$`;
export const PRINTABLE_TEXT = `^[^${UNPRINTABLE_TEXT_CHARS}]*$`;

/**
 * What even a draft may not hold (a draft may be unfinished, not hostile): keys a node's
 * settings do not have (`__proto__` among them), templates that walk into prototypes or
 * name a file as a partial, and names, labels or a description with control or
 * text-direction characters. The API refuses such a document at create, import and save.
 */
export function unstorableProblems(doc: FlowDocument, registry: Registry): Problem[] {
  const problems: Problem[] = [];
  const text = (path: string, value: unknown, pattern: RegExp) => {
    if (typeof value === 'string' && pattern.test(value)) problems.push({ path, message: 'contains control or text-direction characters; type it again without them' });
  };
  text('/name', doc.name, UNPRINTABLE_LINE);
  text('/description', doc.description, UNPRINTABLE_TEXT);
  doc.nodes.forEach((node, i) => {
    text(`/nodes/${i}/label`, node.label, UNPRINTABLE_LINE);
    const plugin = registry.get(node.type);
    const config = plugin ? registry.migrateConfig(plugin, node.version, node.config) : undefined;
    if (!plugin || config === undefined) return;
    for (const p of registry.checkConfig(plugin, config, `/nodes/${i}/config`)) if (isUnknownSetting(p.message)) problems.push(p);
    for (const field of templateFields(plugin.configSchema, config)) {
      for (const t of templateProblems(field.template)) if (t.dangerous) problems.push({ path: `/nodes/${i}/config${field.path}`, message: t.message });
    }
  });
  return problems;
}
