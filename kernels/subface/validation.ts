/**
 * Checks at the library's public boundaries, worded one way everywhere:
 * `<where>: <what> must be <expected>, but got <actual>`. Each module
 * binds them to its own error type (LossError, EvalError, TrainError).
 */

/** An Error subclass constructed from a message. */
export type ErrorType = new (message: string) => Error;

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

export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

export interface Checks {
  /** Throws the bound error type, worded the project's way. */
  fail(where: string, what: string, expected: string, actual: unknown): never;
  /** Checks `value` is a finite number in [min, max] (bounds optional). */
  checkNumber(
    where: string,
    what: string,
    value: unknown,
    range?: NumberRange,
  ): number;
  /** Checks `value` is one of `options`, listing them in the error. */
  checkOption<T extends string | number>(
    where: string,
    what: string,
    value: unknown,
    options: readonly T[],
  ): T;
  /** Throws when `config` has keys outside `known` (catches typos). */
  checkKeys(where: string, config: object, known: readonly string[]): void;
}

/** The checks, throwing `ErrorType`. */
export function checksFor(ErrorType: ErrorType): Checks {
  const fail = (
    where: string,
    what: string,
    expected: string,
    actual: unknown,
  ): never => {
    throw new ErrorType(
      `${where}: ${what} must be ${expected}, but got ${describeValue(actual)}`,
    );
  };

  return {
    fail,

    checkNumber(where, what, value, range = {}) {
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
      return value as number;
    },

    checkOption<T extends string | number>(
      where: string,
      what: string,
      value: unknown,
      options: readonly T[],
    ): T {
      if (!options.includes(value as T)) {
        const listed = options.map((o) => describeValue(o)).join(', ');
        fail(where, what, `one of ${listed}`, value);
      }
      return value as T;
    },

    checkKeys(where, config, known) {
      for (const key of Object.keys(config)) {
        if (!known.includes(key)) {
          fail(where, `option '${key}'`, `one of ${known.join(', ')}`, key);
        }
      }
    },
  };
}
