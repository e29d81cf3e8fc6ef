// The browser's elk: it runs in a Web Worker, so laying out a large program never
// freezes the page, and it is warmed up with a small graph right after sign-in, so
// the first real layout does not pay for the engine's start-up.
import * as elkApiModule from 'elkjs/lib/elk-api.js';
import type { ELK, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';

type ElkConstructor = new (args?: ELKConstructorArguments) => ELK;
const m = elkApiModule as unknown as { default?: ElkConstructor | { default?: ElkConstructor } };
const ElkApi = ((m.default as { default?: ElkConstructor } | undefined)?.default ?? m.default ?? m) as ElkConstructor;

let instance: ELK | undefined;

export function browserElk(): ELK {
  instance ??= new ElkApi({ workerUrl });
  return instance;
}

/** Lays out a small chain once, off the critical path, to load and warm the worker. */
export function warmUpLayout(): void {
  const children = Array.from({ length: 40 }, (_, i) => ({ id: `w${i}`, width: 200, height: 80 }));
  const edges = children.slice(1).map((c, i) => ({ id: `we${i}`, sources: [`w${i}`], targets: [c.id] }));
  void browserElk().layout({ id: 'warm', layoutOptions: { 'elk.algorithm': 'layered' }, children, edges }).catch(() => undefined);
}
