// The output ports of a node: its plugin's static ports plus any read from its config.
// Pure, so the editor, the validator and the worker agree on them.
import { readPath } from '../plugin/conditions.js';
import type { PluginDescription, Port } from '../plugin/index.js';

export function portsOf(plugin: Pick<PluginDescription, 'ports' | 'dynamicPorts'>, config: unknown): Port[] {
  const ports = [...plugin.ports];
  const dyn = plugin.dynamicPorts;
  if (dyn) {
    const items = readPath(config, dyn.field);
    if (Array.isArray(items)) {
      for (const item of items) {
        const name = readPath(item, dyn.nameKey);
        if (typeof name !== 'string' || !name) continue;
        const label = dyn.labelKey ? readPath(item, dyn.labelKey) : undefined;
        ports.push({ name, label: typeof label === 'string' && label ? label : name });
      }
    }
  }
  return ports;
}
