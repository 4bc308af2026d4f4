/**
 * Builds an InsightFace-style verification pack from a pairs list or any
 * `VerificationSet`: what `subface pack-pairs` runs. Python reads the
 * result with `pickle.load(f, encoding='bytes')` as `(list of bytes, list
 * of bool)`; the bytes are JPEGs, as `lfw2pack.py` wrote them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';

import sharp from 'sharp';

import { decodeImage, decodeNetpbm } from '../decode';
import { DataError, DecodedImage, VerificationSet } from '../types';
import { encodedKind, encodedSize } from '../encoded_image';
import { hasEncodedImages } from './encoded_set';
import {
  ResolvedWritePackOptions,
  resolveWritePackOptions,
  WritePackOptions,
} from './pack_options';
import { writeBinsPickle } from './pickle_writer';

/** One pair to pack: image paths or encoded bytes. */
export interface PackPair {
  a: string | Uint8Array;
  b: string | Uint8Array;
  issame: boolean;
}

export interface WritePackResult {
  path: string;
  numPairs: number;
  numImages: number;
  /** JPEGs copied byte for byte. */
  numCopied: number;
  /** Images decoded and encoded again as JPEG. */
  numReencoded: number;
  /** Size and sha256 of the written file. */
  numBytes: number;
  sha256: string;
}

async function toJpeg(image: DecodedImage, quality: number): Promise<Buffer> {
  const { width, height, channels } = image;
  return sharp(Buffer.from(image.pixels), { raw: { width, height, channels } })
    .jpeg({ quality })
    .toBuffer();
}

/** The side of a square image, read without decoding where possible. */
async function squareSide(
  bytes: Uint8Array,
  known: { width: number; height: number } | null,
  where: string,
): Promise<number> {
  let dims = known;
  if (dims === null) {
    const meta = await sharp(bytes)
      .metadata()
      .catch(() => null);
    // sharp's prebuilt libvips has no netpbm loader (see decode.ts).
    if (meta?.width && meta?.height) {
      dims = { width: meta.width, height: meta.height };
    } else if (bytes[0] === 0x50) {
      dims = decodeNetpbm(bytes, where);
    }
  }
  if (!dims || dims.width !== dims.height) {
    const actual = dims ? `${dims.width}x${dims.height}` : 'an unknown size';
    throw new DataError(
      `${where}: image must be square to be packed without resizing ` +
        `(size null), but got ${actual}; pass a size`,
    );
  }
  return dims.width;
}

/**
 * The packed form of one encoded image. The rule: a JPEG is copied
 * unchanged when no resize is asked (size null) or it already is
 * size x size without a centre crop; every other image is decoded with
 * decodeImage and encoded again as JPEG.
 */
async function packImage(
  bytes: Uint8Array,
  options: ResolvedWritePackOptions,
  where: string,
): Promise<{ bytes: Uint8Array; copied: boolean }> {
  const { size, fit, centerCrop, quality } = options;
  const dims = encodedSize(bytes);
  const isJpeg = encodedKind(bytes) === 'jpeg';
  const fits = dims?.width === size && dims?.height === size;
  if (isJpeg && (size === null || (fits && centerCrop === 1))) {
    return { bytes, copied: true };
  }

  const side = size ?? (await squareSide(bytes, dims, where));
  const image = await decodeImage(
    bytes,
    { size: side, fit, centerCrop },
    where,
  );
  return { bytes: await toJpeg(image, quality), copied: false };
}

async function readSource(
  source: string | Uint8Array,
  where: string,
): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  try {
    return await readFile(source);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataError(
      `${where}: image must be a readable file, but got ${reason}`,
    );
  }
}

interface PackedImage {
  bytes: Uint8Array;
  copied: boolean;
}

/** A uniform view of either input: image i's packed bytes, and the flags. */
function makeSource(
  pairs: VerificationSet | readonly PackPair[],
  options: ResolvedWritePackOptions,
): { issame: boolean[]; image: (index: number) => Promise<PackedImage> } {
  if (!Array.isArray(pairs)) {
    const set = pairs as VerificationSet;
    const where = (i: number): string => `${set.name} image ${i}`;
    if (hasEncodedImages(set)) {
      return {
        issame: [...set.issame],
        image: async (i) =>
          packImage(await set.readEncoded(i), options, where(i)),
      };
    }
    const { size, fit, centerCrop, quality } = options;
    if (size === null) {
      throw new DataError(
        `writeVerificationPack: size must be a number for a set without ` +
          `encoded images (${set.name}), but got null`,
      );
    }
    return {
      issame: [...set.issame],
      image: async (i) => {
        const decoded = await set.readImage(i, { size, fit, centerCrop });
        return { bytes: await toJpeg(decoded, quality), copied: false };
      },
    };
  }

  const list = pairs as readonly PackPair[];
  const issame = list.map((pair, i) => {
    if (typeof pair?.issame !== 'boolean') {
      throw new DataError(
        `writeVerificationPack: pairs[${i}].issame must be a boolean, but ` +
          `got ${String(pair?.issame)}`,
      );
    }
    return pair.issame;
  });
  return {
    issame,
    image: async (i) => {
      const pair = list[i >> 1];
      const source = i % 2 === 0 ? pair.a : pair.b;
      const where =
        typeof source === 'string' ? source : `pairs[${i >> 1}].${'ab'[i % 2]}`;
      return packImage(await readSource(source, where), options, where);
    },
  };
}

/**
 * Writes a verification pack to `outPath`: a protocol-4 pickle of
 * `(bins, issame_list)` with images interleaved by pair (pair i is images
 * 2i and 2i + 1). The file appears atomically (written to a temporary name
 * beside it, then renamed), so a failed run never leaves a partial pack.
 * See packImage for when a JPEG is copied rather than re-encoded.
 */
export async function writeVerificationPack(
  pairs: VerificationSet | readonly PackPair[],
  outPath: string,
  options: WritePackOptions = {},
): Promise<WritePackResult> {
  const resolved = resolveWritePackOptions(options);
  const { issame, image } = makeSource(pairs, resolved);
  if (issame.length === 0) {
    throw new DataError(
      'writeVerificationPack: pairs must hold at least one pair, but got 0',
    );
  }
  const numImages = 2 * issame.length;

  // Keep `concurrency` images encoding ahead of the one being written.
  // Each promise gets a handler at once so that a failure further ahead
  // is not reported as unhandled before its turn comes.
  const ahead = new Map<number, Promise<PackedImage>>();
  let numCopied = 0;
  const nextImage = async (index: number): Promise<Uint8Array> => {
    const last = Math.min(numImages, index + resolved.concurrency);
    for (let i = index; i < last; i++) {
      if (ahead.has(i)) continue;
      const pending = image(i);
      pending.catch(() => undefined);
      ahead.set(i, pending);
    }
    const packed = await (ahead.get(index) as Promise<PackedImage>);
    ahead.delete(index);
    if (packed.copied) numCopied++;
    return packed.bytes;
  };

  const tempPath = path.join(
    path.dirname(outPath),
    `.${path.basename(outPath)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const hash = createHash('sha256');
  let numBytes = 0;
  const handle = await open(tempPath, 'wx');
  try {
    const write = async (chunk: Uint8Array): Promise<void> => {
      hash.update(chunk);
      numBytes += chunk.length;
      await handle.write(chunk);
    };
    await writeBinsPickle(write, numImages, nextImage, issame);
    await handle.sync();
    await handle.close();
    await rename(tempPath, outPath);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
  return {
    path: outPath,
    numPairs: issame.length,
    numImages,
    numCopied,
    numReencoded: numImages - numCopied,
    numBytes,
    sha256: hash.digest('hex'),
  };
}
