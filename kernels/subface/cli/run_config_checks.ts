/**
 * Small checks shared by the run-config resolvers. Every error names the
 * field by its path in the JSON file (`train.lr`, `data.kind`...).
 */

/** A run config that cannot be used: shown without a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const WHERE = 'run config';

export type Json = Record<string, unknown>;

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

export function fail(what: string, expected: string, actual: unknown): never {
  throw new ConfigError(
    `${WHERE}: ${what} must be ${expected}, but got ${show(actual)}`,
  );
}

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` as an object with only `keys` (undefined: {}). */
export function section(what: string, value: unknown, keys: string[]): Json {
  if (value === undefined) return {};
  if (!isObject(value)) fail(what, 'an object', value);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      fail(`${what} key '${key}'`, `one of ${keys.join(', ')}`, key);
    }
  }
  return value;
}

export function integer(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(what, `an integer >= ${min}`, value);
  }
  return value;
}

export function text(what: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    fail(what, 'a non-empty string', value);
  }
  return value;
}

export function oneOf<T extends string>(
  what: string,
  value: unknown,
  options: readonly T[],
): T {
  if (!options.includes(value as T)) fail(what, options.join(' | '), value);
  return value as T;
}

/**
 * Runs a library resolver. Its "resolveX: field must ..." errors are
 * rewritten to the field's path in the config file (`nested` maps a
 * resolver of a sub-object to that object's key, e.g. resolveSchedule to
 * 'schedule'); other errors are prefixed with the section.
 */
export function check<T>(
  what: string,
  resolve: () => T,
  nested: Record<string, string> = {},
): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = (error as Error).message;
    const parts = /^(\w+): ([A-Za-z][\w.]*) (must [^]*)$/.exec(message);
    if (parts === null) throw new ConfigError(`${WHERE}: ${what}: ${message}`);
    const [, resolver, field, rest] = parts;
    const sub = nested[resolver] === undefined ? '' : `${nested[resolver]}.`;
    throw new ConfigError(`${WHERE}: ${what}.${sub}${field} ${rest}`);
  }
}
