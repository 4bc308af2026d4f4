/**
 * Turns an unpickled verification pack, `(bins, issame_list)`, into image
 * bytes and booleans, checking the counts (two images per pair) and the
 * image shapes.
 * Images may be byte strings (py2 `str`, py3 `bytes`) or uint8 numpy
 * arrays (the `cv2.imencode` packs), whose raw data is the encoded file.
 */
import { DataError } from '../types';
import { encodedKind } from '../encoded_image';
import { describeValue, PickleCall, PickleValue } from './unpickle';

/** How the images were stored in the pickle. */
export type PackImageForm = 'bytes' | 'ndarray' | 'mixed';

export interface PackContent {
  /** 2 * numPairs encoded images, interleaved by pair. */
  images: Uint8Array[];
  issame: boolean[];
  imageForm: PackImageForm;
}

function sequence(value: PickleValue): readonly PickleValue[] | null {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object' && 'kind' in value) {
    if (value.kind === 'tuple') return value.items;
  }
  return null;
}

function isCall(value: PickleValue | undefined): value is PickleCall {
  return (
    value !== null &&
    typeof value === 'object' &&
    'kind' in value &&
    value.kind === 'call'
  );
}

/** Python 2 writes short names as `str`, which loads as bytes. */
function asText(value: PickleValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('latin1');
  }
  return null;
}

function checkUint8(dtype: PickleValue | undefined, where: string): void {
  const code = isCall(dtype) ? asText(dtype.args.items[0]) : null;
  if (!isCall(dtype) || dtype.callee.name !== 'dtype' || code !== 'u1') {
    const actual = code === null ? describeValue(dtype) : `'${code}'`;
    throw new DataError(
      `${where}: numpy dtype must be uint8 ('u1'), but got ${actual}`,
    );
  }
}

function checkShape(
  shape: PickleValue | undefined,
  length: number,
  where: string,
): void {
  const dims = shape === undefined ? null : sequence(shape);
  const count = dims?.every((d) => typeof d === 'number')
    ? (dims as number[]).reduce((a, b) => a * b, 1)
    : null;
  if (count !== length) {
    throw new DataError(
      `${where}: numpy array shape must hold its ${length} data bytes, ` +
        `but got ${count === null ? describeValue(shape) : count} elements`,
    );
  }
}

/**
 * The encoded bytes of one ndarray record. `_reconstruct` arrays carry
 * (version, shape, dtype, isFortran, data) as BUILD state; protocol-5
 * `_frombuffer` arrays carry (data, dtype, shape, order) as arguments.
 */
function arrayBytes(call: PickleCall, where: string): Uint8Array {
  let data: PickleValue | undefined;
  let dtype: PickleValue | undefined;
  let shape: PickleValue | undefined;
  if (call.callee.name === '_frombuffer') {
    [data, dtype, shape] = call.args.items;
  } else if (call.callee.name === '_reconstruct') {
    const state = call.state === undefined ? null : sequence(call.state);
    if (state === null || state.length < 4) {
      throw new DataError(
        `${where}: numpy array state must be a tuple (version, shape, ` +
          `dtype, isFortran, data), but got ${describeValue(call.state)}`,
      );
    }
    [shape, dtype, , data] = state.slice(-4);
  } else {
    throw new DataError(
      `${where}: image must be bytes or a numpy array, but got ` +
        describeValue(call),
    );
  }
  if (!(data instanceof Uint8Array)) {
    throw new DataError(
      `${where}: numpy array data must be a byte string, but got ` +
        describeValue(data),
    );
  }
  checkUint8(dtype, where);
  checkShape(shape, data.length, where);
  return data;
}

/** Checks the structure and counts of a loaded pack; `where` is the file. */
export function readPackContent(
  value: PickleValue,
  where: string,
): PackContent {
  const top = sequence(value);
  if (top === null || top.length !== 2) {
    throw new DataError(
      `${where}: pack must be a pickled tuple (bins, issame_list), but ` +
        `got ${describeValue(value)}`,
    );
  }
  const bins = sequence(top[0]);
  const flags = sequence(top[1]);
  if (bins === null || flags === null) {
    throw new DataError(
      `${where}: bins and issame_list must be lists, but got ` +
        `${describeValue(top[0])} and ${describeValue(top[1])}`,
    );
  }
  if (bins.length !== 2 * flags.length || flags.length === 0) {
    throw new DataError(
      `${where}: bins must hold 2 * len(issame_list) = ` +
        `${2 * flags.length} images (and at least one pair), but got ` +
        `${bins.length}`,
    );
  }

  const issame = flags.map((flag, i) => {
    if (typeof flag !== 'boolean') {
      throw new DataError(
        `${where}: issame_list[${i}] must be True or False, but got ` +
          describeValue(flag),
      );
    }
    return flag;
  });

  let numArrays = 0;
  const images = bins.map((item, i) => {
    const itemWhere = `${where}: bins[${i}]`;
    let bytes: Uint8Array;
    if (item instanceof Uint8Array) {
      bytes = item;
    } else if (isCall(item)) {
      bytes = arrayBytes(item, itemWhere);
      numArrays++;
    } else {
      throw new DataError(
        `${itemWhere} must be bytes or a uint8 numpy array, but got ` +
          describeValue(item),
      );
    }
    const kind = encodedKind(bytes);
    if (kind !== 'jpeg' && kind !== 'png') {
      const head = Buffer.from(bytes.subarray(0, 4)).toString('hex');
      throw new DataError(
        `${itemWhere} must start with the JPEG (ffd8) or PNG (89504e47) ` +
          `magic bytes, but got '${head}'`,
      );
    }
    return bytes;
  });

  const imageForm: PackImageForm =
    numArrays === 0 ? 'bytes' : numArrays === bins.length ? 'ndarray' : 'mixed';
  return { images, issame, imageForm };
}
