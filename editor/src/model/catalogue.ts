// The node catalogue as the editor sees it: what `/api/node-types` serves. Ports come
// from the engine's own pure `portsOf`, so canvas handles and the validator agree.
import type { FlowDocument, FlowNode, FlowEdge } from '../../../engine/flow/document.js';
import { portsOf } from '../../../engine/flow/ports.js';

export type { FlowDocument, FlowNode, FlowEdge };

export type Category = 'trigger' | 'wait' | 'logic' | 'action';
export const CATEGORIES: Category[] = ['trigger', 'wait', 'logic', 'action'];

export interface Port {
  name: string;
  label: string;
}

export type JsonSchema = Record<string, any>;

export interface NodeType {
  id: string;
  version: number;
  category: Category;
  title: string;
  description: string;
  configSchema: JsonSchema;
  ports: Port[];
  dynamicPorts?: { field: string; nameKey: string; labelKey?: string };
  summary?: string;
  waits: boolean;
  /** What the canvas calls the contacts at the node ("queued"); "here" without it. */
  waitingLabel?: string;
  source: string;
}

export type Catalogue = Map<string, NodeType>;

export function catalogueOf(types: NodeType[]): Catalogue {
  return new Map(types.map((t) => [t.id, t]));
}

/** Output ports of a node in the document; none for an unknown type. */
export function nodePorts(catalogue: Catalogue, node: Pick<FlowNode, 'type' | 'config'>): Port[] {
  const type = catalogue.get(node.type);
  return type ? portsOf(type, node.config) : [];
}

export function emptyDocument(name: string): FlowDocument {
  return { format: 'tend.flow/v1', name, nodes: [], edges: [] };
}
