/**
 * The one error type of the losses module, and the helper that words its
 * messages as `<where>: <what> must be <expected>, but got <actual>`.
 */

export class LossError extends Error {
  override name = 'LossError';
}

/** Formats a value for an error message (strings quoted, arrays short). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const head = items.slice(0, 8).map(describeValue).join(', ');
    return `[${head}${items.length > 8 ? ', ...' : ''}]`;
  }
  if (value !== null && typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** Throws a LossError worded the project's way. */
export function fail(
  where: string,
  what: string,
  expected: string,
  actual: unknown,
): never {
  throw new LossError(
    `${where}: ${what} must be ${expected}, but got ${describeValue(actual)}`,
  );
}

/** Checks `value` is a finite number in [min, max] (bounds optional). */
export function checkNumber(
  where: string,
  what: string,
  value: unknown,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, integer = false } = range;
  const kind = integer ? 'an integer' : 'a finite number';
  const bounds =
    min === -Infinity && max === Infinity ? '' : ` in [${min}, ${max}]`;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    fail(where, what, kind + bounds, value);
  }
  return value;
}

/** Checks `value` is one of `options`, listing them in the error. */
export function checkOption<T extends string>(
  where: string,
  what: string,
  value: unknown,
  options: readonly T[],
): T {
  if (!options.includes(value as T)) {
    fail(
      where,
      what,
      `one of ${options.map((o) => `'${o}'`).join(', ')}`,
      value,
    );
  }
  return value as T;
}

/** Throws when `config` has keys outside `known` (catches typos). */
export function checkKeys(
  where: string,
  config: object,
  known: readonly string[],
): void {
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      fail(where, `option '${key}'`, `one of ${known.join(', ')}`, key);
    }
  }
}
