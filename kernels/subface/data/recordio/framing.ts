/**
 * The dmlc RecordIO framing of a `.rec` file: every record is one or more
 * parts `[magic u32][lrec u32][payload][zero pad to 4]`, little-endian,
 * where lrec holds a 3-bit continuation flag (cflag) and a 29-bit length.
 */

import { DataError } from '../types';

/** The word that starts every part; on disk the bytes 0A 23 D7 CE. */
export const RECORDIO_MAGIC = 0xced7230a;

/** Bytes of the part header: magic word and lrec. */
export const PART_HEADER_BYTES = 8;

/** Payloads (and parts) must be shorter than 2^29 bytes. */
export const MAX_RECORD_BYTES = 2 ** 29 - 1;

/** cflag of a part: whole record, first, middle or last piece. */
export enum PartFlag {
  Whole = 0,
  First = 1,
  Middle = 2,
  Last = 3,
}

export function encodeLrec(cflag: number, length: number): number {
  return ((cflag << 29) | length) >>> 0;
}

export function decodeLrec(lrec: number): { cflag: number; length: number } {
  return { cflag: lrec >>> 29, length: lrec & MAX_RECORD_BYTES };
}

/** Rounds a byte count up to the next multiple of 4. */
export function padded(length: number): number {
  return (length + 3) & ~3;
}

function hasMagicAt(payload: Uint8Array, offset: number): boolean {
  return (
    payload[offset] === 0x0a &&
    payload[offset + 1] === 0x23 &&
    payload[offset + 2] === 0xd7 &&
    payload[offset + 3] === 0xce
  );
}

/**
 * The parts a payload is written as. A reader resynchronises on the magic
 * word, so it may not appear at a 4-byte-aligned offset inside a part: the
 * payload is cut there and the magic itself dropped (the reader puts it
 * back after every First or Middle part), exactly as dmlc's writer does.
 */
export function splitPayload(
  payload: Uint8Array,
): { cflag: PartFlag; bytes: Uint8Array }[] {
  const parts: { cflag: PartFlag; bytes: Uint8Array }[] = [];
  let start = 0;
  for (let i = 0; i + 4 <= payload.length; i += 4) {
    if (hasMagicAt(payload, i)) {
      const cflag = start === 0 ? PartFlag.First : PartFlag.Middle;
      parts.push({ cflag, bytes: payload.subarray(start, i) });
      start = i + 4;
    }
  }
  const cflag = start === 0 ? PartFlag.Whole : PartFlag.Last;
  parts.push({ cflag, bytes: payload.subarray(start) });
  return parts;
}

/**
 * The bytes of one framed record as they go on disk. `where` names the
 * record in errors.
 */
export function frameRecord(payload: Uint8Array, where: string): Uint8Array {
  if (payload.length > MAX_RECORD_BYTES) {
    throw new DataError(
      `${where}: payload must be at most ${MAX_RECORD_BYTES} bytes, but ` +
        `got ${payload.length}`,
    );
  }
  const parts = splitPayload(payload);
  const total = parts.reduce(
    (sum, part) => sum + PART_HEADER_BYTES + padded(part.bytes.length),
    0,
  );

  // Pad bytes stay zero because the buffer starts zeroed.
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, RECORDIO_MAGIC, true);
    view.setUint32(offset + 4, encodeLrec(part.cflag, part.bytes.length), true);
    out.set(part.bytes, offset + PART_HEADER_BYTES);
    offset += PART_HEADER_BYTES + padded(part.bytes.length);
  }
  return out;
}
