/**
 * Random access to the records of a `.rec` through its `.idx`, with
 * positioned reads: packs run to many gigabytes, so the file is never
 * loaded whole.
 */
import { promises as fs } from 'node:fs';

import { DataError } from '../types';
import {
  decodeLrec,
  padded,
  PART_HEADER_BYTES,
  PartFlag,
  RECORDIO_MAGIC,
} from './framing';
import { parseIdx, RecordIndex } from './idx';
import { IR_HEADER_BYTES, IRRecord, unpackHeader } from './ir_header';

/** The header fields of a record, without its data. */
export type IRHeaderOnly = Omit<IRRecord, 'data'>;

const MAGIC_BYTES = Uint8Array.of(0x0a, 0x23, 0xd7, 0xce);

/** The most bytes the first, speculative read of a record asks for. */
const MAX_READ_BYTES = 64 * 2 ** 20;

/** Payload bytes a header scan looks at per record (flag <= 10). */
const SCAN_BYTES = IR_HEADER_BYTES + 40;

/** The most bytes a header scan reads at once. */
const SCAN_BLOCK_BYTES = 4 * 2 ** 20;

function hex(value: number): string {
  return '0x' + value.toString(16).toUpperCase().padStart(8, '0');
}

export class RecordIOReader {
  readonly recPath: string;
  readonly idxPath: string;
  readonly index: RecordIndex;
  /** Size of the `.rec` in bytes. */
  readonly fileSize: number;
  private handle: fs.FileHandle | null;

  private constructor(
    recPath: string,
    idxPath: string,
    index: RecordIndex,
    handle: fs.FileHandle,
    fileSize: number,
  ) {
    this.recPath = recPath;
    this.idxPath = idxPath;
    this.index = index;
    this.handle = handle;
    this.fileSize = fileSize;
  }

  /**
   * Opens a `.rec`/`.idx` pair. Checks that every indexed offset leaves
   * room for a part header inside the `.rec`; the handle is closed again
   * when that fails.
   */
  static async open(recPath: string, idxPath: string): Promise<RecordIOReader> {
    const index = parseIdx(await fs.readFile(idxPath, 'utf8'), idxPath);
    const handle = await fs.open(recPath, 'r');
    try {
      const { size } = await handle.stat();
      for (let i = 0; i < index.size; i++) {
        if (index.offsets[i] + PART_HEADER_BYTES > size) {
          throw new DataError(
            `${idxPath} line ${i + 1}: the offset of record ` +
              `${index.keys[i]} must be at most ${size - PART_HEADER_BYTES} ` +
              `(inside the ${size}-byte ${recPath}), but got ` +
              `${index.offsets[i]}; the .idx and .rec may come from ` +
              `different builds, or the .rec is truncated`,
          );
        }
      }
      return new RecordIOReader(recPath, idxPath, index, handle, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Record keys in `.idx` order. */
  get keys(): Float64Array {
    return this.index.keys;
  }

  /** Names a record in error messages. */
  describe(key: number): string {
    const position = this.index.positionOf(key);
    const at = position < 0 ? '' : ` (offset ${this.index.offsets[position]})`;
    return `${this.recPath} record ${key}${at}`;
  }

  /** The byte offset of record `key`; throws when the `.idx` lacks it. */
  offsetOf(key: number): number {
    const position = this.index.positionOf(key);
    if (position < 0) {
      throw new DataError(
        `${this.idxPath}: record ${key} must be listed, but the .idx has ` +
          `no such key (${this.index.size} keys)`,
      );
    }
    return this.index.offsets[position];
  }

  /** The whole payload of record `key`, parts joined. */
  async readPayload(key: number): Promise<Uint8Array> {
    return this.collect(key, Infinity);
  }

  /** Record `key` split into header fields and data. */
  async readRecord(key: number): Promise<IRRecord> {
    return unpackHeader(await this.readPayload(key), this.describe(key));
  }

  /** Only the header fields of record `key`: reads a few bytes. */
  async readHeader(key: number): Promise<IRHeaderOnly> {
    let prefix = await this.collect(key, IR_HEADER_BYTES);
    const where = this.describe(key);
    const flag = unpackHeaderFlag(prefix, where);
    if (prefix.length < IR_HEADER_BYTES + 4 * flag) {
      prefix = await this.collect(key, IR_HEADER_BYTES + 4 * flag);
    }
    const { data: _data, ...header } = unpackHeader(prefix, where);
    return header;
  }

  /**
   * Calls `visit(i, header)` with the header of record keys[i] for every
   * i, in offset order. Records that lie close together are read in
   * large sequential blocks rather than one small read each, which is
   * what makes opening a pack of millions of images practical.
   */
  async scanHeaders(
    keys: ArrayLike<number>,
    visit: (i: number, header: IRHeaderOnly) => void,
  ): Promise<void> {
    const offsets = Float64Array.from({ length: keys.length }, (_, i) =>
      this.offsetOf(keys[i]),
    );
    const order = Uint32Array.from(offsets.keys()).sort(
      (a, b) => offsets[a] - offsets[b],
    );
    const headEnd = (i: number) =>
      Math.min(this.fileSize, offsets[i] + PART_HEADER_BYTES + SCAN_BYTES);

    for (let first = 0; first < order.length;) {
      // Group the records whose headers fit in one block from here.
      const start = offsets[order[first]];
      let last = first;
      while (
        last + 1 < order.length &&
        headEnd(order[last + 1]) - start <= SCAN_BLOCK_BYTES
      ) {
        last++;
      }
      const block =
        last > first
          ? await this.readAt(start, headEnd(order[last]) - start, this.recPath)
          : null;
      for (let g = first; g <= last; g++) {
        const i = order[g];
        const parsed = block && this.headerInBlock(block, start, offsets[i]);
        visit(i, parsed ?? (await this.readHeader(keys[i])));
      }
      first = last + 1;
    }
  }

  /**
   * The header of the record at file offset `offset`, from `block` (read
   * at `blockStart`) when its first part is whole there and complete in
   * the file; else null, and the caller takes the slow path, which also
   * words any error.
   */
  private headerInBlock(
    block: Uint8Array,
    blockStart: number,
    offset: number,
  ): IRHeaderOnly | null {
    const at = offset - blockStart;
    if (at + PART_HEADER_BYTES + IR_HEADER_BYTES > block.length) return null;
    const view = new DataView(block.buffer, block.byteOffset + at);
    const { cflag, length } = decodeLrec(view.getUint32(4, true));
    const flag = view.getUint32(PART_HEADER_BYTES, true);
    const needed = IR_HEADER_BYTES + 4 * flag;
    if (
      view.getUint32(0, true) !== RECORDIO_MAGIC ||
      (cflag !== PartFlag.Whole && cflag !== PartFlag.First) ||
      length < needed ||
      at + PART_HEADER_BYTES + needed > block.length ||
      offset + PART_HEADER_BYTES + length > this.fileSize
    ) {
      return null;
    }
    const bodyStart = at + PART_HEADER_BYTES;
    const header = block.subarray(bodyStart, bodyStart + needed);
    const { data: _data, ...fields } = unpackHeader(header, this.recPath);
    return fields;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  /**
   * Follows the parts of record `key` until `want` payload bytes are
   * gathered or the record ends. A magic word goes back after each First
   * or Middle part, where the writer cut it out.
   */
  private async collect(key: number, want: number): Promise<Uint8Array> {
    const where = this.describe(key);
    const start = this.offsetOf(key);

    // One read covers the record's extent up to the next indexed offset;
    // more reads happen only when parts run past it.
    const end = this.index.nextOffsetAfter(start) ?? this.fileSize;
    const first = Math.min(
      end - start,
      want === Infinity ? MAX_READ_BYTES : PART_HEADER_BYTES + padded(want),
    );
    let windowStart = start;
    let window = await this.readAt(start, first, where);
    const bytesAt = async (pos: number, count: number) => {
      const inside = pos - windowStart;
      if (inside < 0 || inside + count > window.length) {
        windowStart = pos;
        window = await this.readAt(pos, count, where);
        return window;
      }
      return window.subarray(inside, inside + count);
    };

    const chunks: Uint8Array[] = [];
    let gathered = 0;
    let pos = start;
    for (let part = 0; ; part++) {
      const head = await bytesAt(pos, PART_HEADER_BYTES);
      const view = new DataView(head.buffer, head.byteOffset, 8);
      const magic = view.getUint32(0, true);
      if (magic !== RECORDIO_MAGIC) {
        throw new DataError(
          `${where}: part ${part} at byte ${pos} must start with the ` +
            `magic word ${hex(RECORDIO_MAGIC)}, but got ${hex(magic)}` +
            (part === 0
              ? '; the .idx and .rec may come from different builds'
              : '; the .rec is corrupt'),
        );
      }
      const { cflag, length } = decodeLrec(view.getUint32(4, true));
      const expected =
        part === 0
          ? [PartFlag.Whole, PartFlag.First]
          : [PartFlag.Middle, PartFlag.Last];
      if (!expected.includes(cflag)) {
        throw new DataError(
          `${where}: part ${part} must have cflag ${expected.join(' or ')}, ` +
            `but got ${cflag}; the .rec is corrupt`,
        );
      }
      if (pos + PART_HEADER_BYTES + length > this.fileSize) {
        throw new DataError(
          `${where}: part ${part} must have ${length} payload bytes, but ` +
            `the ${this.fileSize}-byte .rec ends ` +
            `${this.fileSize - pos - PART_HEADER_BYTES} bytes after its ` +
            `header (truncated .rec)`,
        );
      }

      const take = Math.min(length, want - gathered);
      chunks.push(await bytesAt(pos + PART_HEADER_BYTES, take));
      gathered += take;
      pos += PART_HEADER_BYTES + padded(length);
      if (cflag === PartFlag.Whole || cflag === PartFlag.Last) break;
      if (gathered >= want) break;
      chunks.push(MAGIC_BYTES);
      gathered += MAGIC_BYTES.length;
    }
    return concat(chunks, gathered);
  }

  private async readAt(
    pos: number,
    count: number,
    where: string,
  ): Promise<Uint8Array> {
    if (this.handle === null) {
      throw new DataError(`${where}: the reader must be open, but got closed`);
    }
    const buffer = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const { bytesRead } = await this.handle.read(
        buffer,
        filled,
        count - filled,
        pos + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled < count) {
      throw new DataError(
        `${where}: ${count} bytes must be readable at byte ${pos}, but ` +
          `the .rec ends after ${filled} (truncated .rec)`,
      );
    }
    return buffer;
  }
}

function unpackHeaderFlag(prefix: Uint8Array, where: string): number {
  if (prefix.length < IR_HEADER_BYTES) {
    throw new DataError(
      `${where}: payload must start with the ${IR_HEADER_BYTES}-byte ` +
        `IRHeader, but got ${prefix.length} bytes`,
    );
  }
  return new DataView(prefix.buffer, prefix.byteOffset, 4).getUint32(0, true);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
