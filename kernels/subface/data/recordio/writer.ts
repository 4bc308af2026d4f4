/**
 * Appends framed records to a `.rec` and their offsets to a `.idx`, in the
 * layout MXNet's `MXIndexedRecordIO` writes.
 */
import { promises as fs } from 'node:fs';

import { DataError } from '../types';
import { frameRecord } from './framing';
import { formatIdxLine } from './idx';

/** `.rec` bytes gathered before one write. */
const BATCH_BYTES = 4 * 2 ** 20;

export class RecordIOWriter {
  readonly recPath: string;
  readonly idxPath: string;
  /** Bytes written to the `.rec` so far: the offset of the next record. */
  private position = 0;
  /** Records and `.idx` lines not yet written, flushed in batches. */
  private pendingRec: Uint8Array[] = [];
  private pendingRecBytes = 0;
  private pendingIdx = '';
  private rec: fs.FileHandle | null;
  private idx: fs.FileHandle | null;

  private constructor(
    recPath: string,
    idxPath: string,
    rec: fs.FileHandle,
    idx: fs.FileHandle,
  ) {
    this.recPath = recPath;
    this.idxPath = idxPath;
    this.rec = rec;
    this.idx = idx;
  }

  /** Creates (or truncates) both files. */
  static async create(
    recPath: string,
    idxPath: string,
  ): Promise<RecordIOWriter> {
    const rec = await fs.open(recPath, 'w');
    try {
      const idx = await fs.open(idxPath, 'w');
      return new RecordIOWriter(recPath, idxPath, rec, idx);
    } catch (error) {
      await rec.close();
      throw error;
    }
  }

  /** The `.rec` offset the next record will start at. */
  get offset(): number {
    return this.position;
  }

  /**
   * Appends one record under `key` and its `.idx` line. Keys must be
   * unique non-negative integers; readers reject an `.idx` with repeats.
   */
  async write(key: number, payload: Uint8Array): Promise<void> {
    const where = `${this.recPath} record ${key}`;
    if (this.rec === null || this.idx === null) {
      throw new DataError(`${where}: the writer must be open, but got closed`);
    }
    if (!Number.isSafeInteger(key) || key < 0) {
      throw new DataError(
        `${where}: key must be a non-negative integer, but got ${key}`,
      );
    }
    // Claim the position before awaiting, so unawaited writes still land
    // one after another.
    const framed = frameRecord(payload, where);
    this.pendingIdx += formatIdxLine(key, this.position);
    this.pendingRec.push(framed);
    this.pendingRecBytes += framed.length;
    this.position += framed.length;
    if (this.pendingRecBytes >= BATCH_BYTES) await this.flush();
  }

  /** Writes the batched `.rec` bytes and `.idx` lines. */
  private async flush(): Promise<void> {
    const rec = Buffer.concat(this.pendingRec);
    const idx = this.pendingIdx;
    const at = this.position - rec.length;
    this.pendingRec = [];
    this.pendingRecBytes = 0;
    this.pendingIdx = '';
    await this.rec?.write(rec, 0, rec.length, at);
    await this.idx?.write(idx);
  }

  /** Flushes and closes both files; safe to call twice. */
  async close(): Promise<void> {
    const { rec, idx } = this;
    try {
      await this.flush();
      await rec?.sync();
      await idx?.sync();
    } finally {
      this.rec = null;
      this.idx = null;
      await rec?.close();
      await idx?.close();
    }
  }
}
