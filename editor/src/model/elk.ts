// elkjs is CommonJS and its typings claim an ES default export; this picks the
// constructor out whichever way the bundler or Node hands the module over.
import * as elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';

type ElkConstructor = new (args?: ELKConstructorArguments) => ELK;
const m = elkModule as unknown as { default?: ElkConstructor | { default?: ElkConstructor } };
const candidate = (m.default as { default?: ElkConstructor } | undefined)?.default ?? m.default ?? m;

export const Elk = candidate as ElkConstructor;
export type { ELK };
