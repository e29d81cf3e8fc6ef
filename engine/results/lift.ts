// The lift of a program over its holdout, with standard, named statistics: the
// difference of two conversion rates with Newcombe's hybrid score interval (his method
// 10, built from two Wilson score intervals; it stays inside [-1, 1] and keeps its
// coverage at small samples and rates near 0, where the Wald interval does not), and
// the pooled two-proportion z-test for "is there any difference at all".
//
//   lift({ n: 70, converted: 56 }, { n: 80, converted: 48 })
//   // → difference 0.2, interval [0.0524, 0.3339] (Newcombe 1998, Statistics in Medicine 17:873, table II)

export const LIFT_METHOD = 'Difference of conversion rates, Newcombe hybrid score interval (Wilson), 95%; two-proportion z-test';
export const CONFIDENCE = 0.95;
/** The two-sided 95% normal quantile. */
const Z95 = 1.959963984540054;

export interface Group { n: number; converted: number }

export interface Lift {
  /** Treated rate minus holdout rate (percentage points as a fraction). */
  difference: number;
  /** The 95% interval of the difference. */
  low: number;
  high: number;
  /** The difference over the holdout's rate; null when the holdout converted no one. */
  relative: number | null;
  /** The pooled two-proportion z statistic and its two-sided p-value (null when both rates are 0 or 1). */
  z: number | null;
  pValue: number | null;
}

/** Wilson's score interval of a proportion. */
export function wilson({ n, converted }: Group, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = converted / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The standard normal CDF (Abramowitz and Stegun 7.1.26 for erf; error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Treated against holdout; null until both groups have someone in them. */
export function lift(treated: Group, holdout: Group): Lift | null {
  if (treated.n === 0 || holdout.n === 0) return null;
  const p1 = treated.converted / treated.n;
  const p2 = holdout.converted / holdout.n;
  const [l1, u1] = wilson(treated);
  const [l2, u2] = wilson(holdout);
  const difference = p1 - p2;
  const pooled = (treated.converted + holdout.converted) / (treated.n + holdout.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / treated.n + 1 / holdout.n));
  const z = se > 0 ? difference / se : null;
  return {
    difference,
    low: difference - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    high: difference + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    relative: p2 > 0 ? difference / p2 : null,
    z,
    pValue: z === null ? null : 2 * (1 - normalCdf(Math.abs(z))),
  };
}
