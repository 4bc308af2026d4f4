/**
 * Writes `(list of bytes, list of bool)` as a protocol-4 pickle, the shape
 * of an InsightFace verification pack. Python 3.4+ loads it with or
 * without `encoding='bytes'`; Python 2 cannot (protocol 4 is Python 3
 * only), which no current reader needs.
 *
 * Porting note: CPython also writes FRAME and MEMOIZE opcodes; both are
 * optional for an unpickler, so this writer leaves them out.
 */
import { DataError } from '../types';
import { OP } from './pickle_opcodes';

/** CPython's batch size for APPENDS, kept so the output looks familiar. */
const BATCH_SIZE = 1000;

const PROTOCOL = 4;

/** The largest byte string BINBYTES (u32 length) can hold. */
const MAX_BINBYTES = 0xffffffff;

function opcode(...codes: number[]): Uint8Array {
  return Uint8Array.from(codes);
}

function bytesPrefix(length: number): Uint8Array {
  if (length < 0x100) return opcode(OP.SHORT_BINBYTES, length);
  const prefix = new Uint8Array(5);
  prefix[0] = OP.BINBYTES;
  new DataView(prefix.buffer).setUint32(1, length, true);
  return prefix;
}

/**
 * Streams the pickle through `write`, asking `image(i)` for each image in
 * order so that a large pack never sits in memory at once. Lists are
 * written as MARK ... APPENDS batches of 1000 (APPEND for a batch of 1).
 */
export async function writeBinsPickle(
  write: (chunk: Uint8Array) => Promise<void>,
  numImages: number,
  image: (index: number) => Promise<Uint8Array>,
  issame: readonly boolean[],
): Promise<void> {
  await write(opcode(OP.PROTO, PROTOCOL, OP.EMPTY_LIST));
  for (let start = 0; start < numImages; start += BATCH_SIZE) {
    const end = Math.min(numImages, start + BATCH_SIZE);
    if (end - start > 1) await write(opcode(OP.MARK));
    for (let i = start; i < end; i++) {
      const bytes = await image(i);
      if (bytes.length > MAX_BINBYTES) {
        throw new DataError(
          `writeBinsPickle: image ${i} must be at most ${MAX_BINBYTES} ` +
            `bytes, but got ${bytes.length}`,
        );
      }
      await write(bytesPrefix(bytes.length));
      await write(bytes);
    }
    await write(opcode(end - start > 1 ? OP.APPENDS : OP.APPEND));
  }

  const flags: number[] = [OP.EMPTY_LIST];
  for (let start = 0; start < issame.length; start += BATCH_SIZE) {
    const batch = issame.slice(start, start + BATCH_SIZE);
    if (batch.length > 1) flags.push(OP.MARK);
    for (const flag of batch) flags.push(flag ? OP.NEWTRUE : OP.NEWFALSE);
    flags.push(batch.length > 1 ? OP.APPENDS : OP.APPEND);
  }
  flags.push(OP.TUPLE2, OP.STOP);
  await write(Uint8Array.from(flags));
}
