/**
 * Small helpers the payload builders share: JSON-safe numbers, evenly
 * thinned indices and caps.
 */
import { Cap } from './contract';

/** A finite number, else null (NaN is not JSON). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function finiteOrNullArray(
  values: ArrayLike<number>,
): (number | null)[] {
  return Array.from(values, finiteOrNull);
}

/**
 * `value` with `digits` significant digits: shorter JSON for values that
 * are only drawn. Null stays null.
 */
export function roundSignificant<T extends number | null>(
  value: T,
  digits: number,
): T {
  if (value === null || !Number.isFinite(value) || value === 0) return value;
  return Number((value as number).toPrecision(digits)) as T;
}

/**
 * At most `max` indices of [0, n), evenly spaced, with the first and the
 * last; all of them when n <= max.
 */
export function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return max === 1 ? [n - 1] : [];
  const stride = (n - 1) / (max - 1);
  return Array.from({ length: max }, (_, j) => Math.round(j * stride));
}

/** A cap of `shown` of `total` items with its note. */
export function makeCap(total: number, shown: number, note: string): Cap {
  return { total, shown, sampled: shown < total, note };
}
