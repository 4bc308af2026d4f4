/**
 * MXNet's image-record header (`IRHeader`, struct format 'IfQQ', 24 bytes,
 * little-endian) that starts every InsightFace record payload, followed by
 * a float32 label array when flag > 0, then the data (a JPEG, or nothing).
 */
import { DataError } from '../types';

/** Bytes of the fixed part: flag u32, label f32, id u64, id2 u64. */
export const IR_HEADER_BYTES = 24;

/** A record payload split into its header fields and data. */
export interface IRRecord {
  /** 0 for a scalar label, else the length of the label array. */
  flag: number;
  /** The scalar label (flag 0) or the label array (flag > 0). */
  label: number | Float32Array;
  /**
   * NOTE: u64 on disk, read as a JS number, so exact only up to 2^53;
   * builders store record indices here.
   */
  id: number;
  id2: number;
  data: Uint8Array;
}

/** The fields to pack; id and id2 default to 0. */
export interface IRHeaderFields {
  label: number | ArrayLike<number>;
  id?: number;
  id2?: number;
}

function checkId(value: number, name: string, where: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DataError(
      `${where}: ${name} must be a non-negative safe integer, but got ` + value,
    );
  }
}

/**
 * Builds a record payload as `mx.recordio.pack` does: a numeric label is
 * stored in the header with flag 0; an array label sets flag to its length,
 * the header label to 0, and goes as float32 values before the data.
 */
export function packHeader(
  fields: IRHeaderFields,
  data: Uint8Array = new Uint8Array(0),
  where = 'packHeader',
): Uint8Array {
  const { label, id = 0, id2 = 0 } = fields;
  checkId(id, 'id', where);
  checkId(id2, 'id2', where);
  const labels = typeof label === 'number' ? null : Array.from(label);
  const flag = labels === null ? 0 : labels.length;

  const out = new Uint8Array(IR_HEADER_BYTES + 4 * flag + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, flag, true);
  view.setFloat32(4, labels === null ? (label as number) : 0, true);
  view.setBigUint64(8, BigInt(id), true);
  view.setBigUint64(16, BigInt(id2), true);
  labels?.forEach((value, i) =>
    view.setFloat32(IR_HEADER_BYTES + 4 * i, value, true),
  );
  out.set(data, IR_HEADER_BYTES + 4 * flag);
  return out;
}

/**
 * Splits a record payload into header fields and data, mirroring
 * `mx.recordio.unpack`. `data` is a view into `payload`, not a copy.
 */
export function unpackHeader(payload: Uint8Array, where: string): IRRecord {
  if (payload.length < IR_HEADER_BYTES) {
    throw new DataError(
      `${where}: payload must start with the ${IR_HEADER_BYTES}-byte ` +
        `IRHeader, but got ${payload.length} bytes`,
    );
  }
  const view = new DataView(
    payload.buffer,
    payload.byteOffset,
    payload.byteLength,
  );
  const flag = view.getUint32(0, true);
  const maxFlag = Math.floor((payload.length - IR_HEADER_BYTES) / 4);
  if (flag > maxFlag) {
    throw new DataError(
      `${where}: header flag (label array length) must be at most ` +
        `${maxFlag} for a ${payload.length}-byte payload, but got ${flag}`,
    );
  }

  let label: number | Float32Array = view.getFloat32(4, true);
  if (flag > 0) {
    label = new Float32Array(flag);
    for (let i = 0; i < flag; i++) {
      label[i] = view.getFloat32(IR_HEADER_BYTES + 4 * i, true);
    }
  }
  return {
    flag,
    label,
    id: Number(view.getBigUint64(8, true)),
    id2: Number(view.getBigUint64(16, true)),
    data: payload.subarray(IR_HEADER_BYTES + 4 * flag),
  };
}
