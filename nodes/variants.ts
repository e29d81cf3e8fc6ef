// Weighted variants, shared by the random split and the A/B experiment: the schema,
// its checks and the sticky weighted pick.
import { Type } from '@sinclair/typebox';

export const Variants = (maxItems: number) =>
  Type.Array(
    Type.Object(
      {
        name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', title: 'Port name' }),
        label: Type.Optional(Type.String({ maxLength: 60 })),
        weight: Type.Number({ minimum: 0, maximum: 100000, title: 'Weight' }),
      },
      { additionalProperties: false },
    ),
    { minItems: 2, maxItems, title: 'Variants', default: [{ name: 'a', label: 'A', weight: 50 }, { name: 'b', label: 'B', weight: 50 }] },
  );

export interface Variant {
  name: string;
  weight: number;
}

/** Names used twice (or taken by another port), and weights that add up to nothing. */
export function variantProblems(variants: Variant[], reserved: Record<string, string> = {}): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const names = new Set<string>(Object.keys(reserved));
  variants.forEach((v, i) => {
    if (names.has(v.name)) problems.push({ path: `/variants/${i}/name`, message: reserved[v.name] ?? `variant name "${v.name}" is used twice` });
    names.add(v.name);
  });
  if (variants.reduce((s, v) => s + v.weight, 0) <= 0) problems.push({ path: '/variants', message: 'the weights add up to 0' });
  return problems;
}

/** The variant a point in [0, 1) falls on, by weight. */
export function pickVariant<V extends Variant>(variants: V[], point: number): V {
  let rest = point * variants.reduce((s, v) => s + v.weight, 0);
  for (const v of variants) {
    if (rest < v.weight) return v;
    rest -= v.weight;
  }
  return variants[variants.length - 1]!;
}
