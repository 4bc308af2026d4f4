/**
 * The `.idx` file next to a `.rec`: one `<key>\t<byteOffset>\n` line per
 * record, in write order.
 */
import { DataError } from '../types';

/** The parsed `.idx`: keys and offsets in file order, and a key lookup. */
export class RecordIndex {
  /** keys[i] and offsets[i] come from line i (write order). */
  readonly keys: Float64Array;
  readonly offsets: Float64Array;
  /** Offsets sorted ascending, to find where a record's extent ends. */
  private readonly sortedOffsets: Float64Array;
  /** Positions in keys sorted by key; null when keys are 0..n-1. */
  private readonly byKey: Uint32Array | null;

  constructor(keys: Float64Array, offsets: Float64Array, where: string) {
    this.keys = keys;
    this.offsets = offsets;
    this.sortedOffsets = Float64Array.from(offsets).sort();

    // Dense keys 0..n-1 in order are the usual case and need no table;
    // NOTE: a Map would cost far more memory for millions of records.
    const dense = keys.every((key, i) => key === i);
    this.byKey = dense
      ? null
      : Uint32Array.from(keys.keys()).sort((a, b) => keys[a] - keys[b]);
    if (this.byKey !== null) {
      for (let i = 1; i < this.byKey.length; i++) {
        const key = keys[this.byKey[i]];
        if (key === keys[this.byKey[i - 1]]) {
          throw new DataError(
            `${where}: keys must be unique, but got key ${key} twice ` +
              `(lines ${this.byKey[i - 1] + 1} and ${this.byKey[i] + 1})`,
          );
        }
      }
    }
  }

  get size(): number {
    return this.keys.length;
  }

  /** The line position of `key`, or -1 when the index lacks it. */
  positionOf(key: number): number {
    if (this.byKey === null) {
      return Number.isInteger(key) && key >= 0 && key < this.keys.length
        ? key
        : -1;
    }
    let low = 0;
    let high = this.byKey.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.keys[this.byKey[middle]];
      if (found === key) return this.byKey[middle];
      if (found < key) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  has(key: number): boolean {
    return this.positionOf(key) >= 0;
  }

  /** The smallest record offset greater than `offset`, or null. */
  nextOffsetAfter(offset: number): number | null {
    let low = 0;
    let high = this.sortedOffsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sortedOffsets[middle] <= offset) low = middle + 1;
      else high = middle;
    }
    return low < this.sortedOffsets.length ? this.sortedOffsets[low] : null;
  }
}

const DECIMAL = /^\d+$/;

/**
 * Parses `.idx` text. Lines are split on tabs after trimming, as MXNet's
 * reader does; blank lines are skipped. `where` names the file.
 */
export function parseIdx(text: string, where: string): RecordIndex {
  const lines = text.split('\n');
  const keys = new Float64Array(lines.length);
  const offsets = new Float64Array(lines.length);
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fields = line.split('\t');
    if (
      fields.length !== 2 ||
      !DECIMAL.test(fields[0]) ||
      !DECIMAL.test(fields[1])
    ) {
      throw new DataError(
        `${where} line ${i + 1}: a line must be '<key>\\t<offset>' with ` +
          `two non-negative decimal integers, but got ` +
          JSON.stringify(line.slice(0, 80)),
      );
    }
    keys[count] = Number(fields[0]);
    offsets[count] = Number(fields[1]);
    count++;
  }
  return new RecordIndex(keys.slice(0, count), offsets.slice(0, count), where);
}

/** One `.idx` line as MXNet writes it. */
export function formatIdxLine(key: number, offset: number): string {
  return `${key}\t${offset}\n`;
}
