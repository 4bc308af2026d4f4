/**
 * The values the safe unpickler produces, the globals it lets a pickle
 * name, and the one call it evaluates itself (`_codecs.encode`, a pure
 * data conversion). Nothing here imports or runs anything a pickle names.
 */

/** A Python tuple (lists are plain arrays). */
export interface PickleTuple {
  readonly kind: 'tuple';
  readonly items: readonly PickleValue[];
}

/** A whitelisted global, kept by name only: never imported. */
export interface PickleGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
}

/** The record REDUCE leaves in place of a call that is never made. */
export interface PickleCall {
  readonly kind: 'call';
  readonly callee: PickleGlobal;
  readonly args: PickleTuple;
  /** The BUILD state applied to the result, if any. */
  state: PickleValue | undefined;
}

/**
 * A loaded value. Python 2 `str` and Python 3 `bytes` / `bytearray` all
 * become Uint8Array, as `pickle.load(f, encoding='bytes')` does.
 */
export type PickleValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | PickleGlobal
  | PickleCall;

/**
 * The only globals a pickle may name. `_frombuffer` is what numpy writes
 * for arrays under protocol 5; numpy >= 2 renamed `numpy.core` to
 * `numpy._core`.
 */
export const ALLOWED_GLOBALS: readonly string[] = [
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.core.numeric._frombuffer',
  'numpy._core.numeric._frombuffer',
  'numpy.ndarray',
  'numpy.dtype',
  '_codecs.encode',
];

/** 'tuple', 'global' or 'call' for records, else null. */
export function kindOf(value: PickleValue): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (value instanceof Uint8Array || Array.isArray(value)) return null;
  return value.kind;
}

/** A short description of a value for error messages. */
export function describeValue(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return `int ${value}`;
  if (typeof value === 'string') return `str of length ${value.length}`;
  if (value instanceof Uint8Array) return `bytes of length ${value.length}`;
  if (Array.isArray(value)) return `list of ${value.length} items`;
  if (value.kind === 'tuple') return `tuple of ${value.items.length} items`;
  if (value.kind === 'global') return `global ${value.module}.${value.name}`;
  return `${value.callee.module}.${value.callee.name}(...) object`;
}

/**
 * Python 3 writes `bytes` under protocol 2 as `_codecs.encode(text,
 * 'latin1')`; that one call is a pure data conversion, so it is done here.
 * Every other REDUCE stays an inert record.
 */
export function reduce(
  callee: PickleGlobal,
  args: PickleTuple,
  fail: (expected: string, actual: string) => never,
): PickleValue {
  if (callee.module !== '_codecs') {
    return { kind: 'call', callee, args, state: undefined };
  }
  const [value, encoding] = args.items;
  if (
    args.items.length !== 2 ||
    typeof value !== 'string' ||
    (encoding !== 'latin1' && encoding !== 'latin-1')
  ) {
    fail("be (str, 'latin1')", describeValue(args));
  }
  const text = value as string;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const point = text.charCodeAt(i);
    if (point > 0xff) fail('be latin-1 text', `code point ${point}`);
    out[i] = point;
  }
  return out;
}
