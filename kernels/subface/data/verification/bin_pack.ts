/**
 * InsightFace verification packs (`lfw.bin`, `cfp_fp.bin`, `agedb_30.bin`,
 * ...) as a `VerificationSet`: a pickled `(bins, issame_list)` read with
 * the safe unpickler (docs/method.md, "Data formats").
 *
 * NOTE: the whole file is read into memory (an lfw.bin is ~50-70 MB) and
 * the images stay views into it, so nothing is read twice.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

import { decodeImage } from '../decode';
import { DataError, DecodedImage, ResizeOptions } from '../types';
import { encodedSize } from '../encoded_image';
import { checkImageIndex, EncodedVerificationSet } from './encoded_set';
import { PackImageForm, readPackContent } from './pack_content';
import { unpickle } from './unpickle';

/** InsightFace's aligned face side; other sizes get a note. */
export const PACK_IMAGE_SIZE = 112;

/** The fold count of the 10-fold protocol, for the uneven-blocks note. */
const NUM_FOLDS = 10;

/** How many distinct odd sizes a note lists. */
const MAX_LISTED_SIZES = 3;

export interface VerificationPackOptions {
  /** Set name. Default: the file name without `.bin` (`lfw`, `cfp_fp`). */
  name?: string;
  /** Image side the pack should have. Default: 112 (PACK_IMAGE_SIZE). */
  expectedSize?: number;
}

/** A loaded verification pack. */
export interface VerificationPack extends EncodedVerificationSet {
  readonly path: string;
  /** Always null: the 10-fold protocol uses contiguous blocks of pairs. */
  readonly folds: null;
  /** The pickle protocol (2 for Python 2 packs), null if it had no PROTO. */
  readonly protocol: number | null;
  /** Byte strings, uint8 numpy arrays, or both. */
  readonly imageForm: PackImageForm;
  /**
   * Warnings that do not stop evaluation, e.g. images that are not
   * 112x112 (InsightFace resizes them) or a pair count that does not split
   * into 10 equal folds. Library code never prints: callers show them.
   */
  readonly notes: readonly string[];
}

function describeSizes(images: readonly Uint8Array[], side: number): string[] {
  const counts = new Map<string, number>();
  for (const image of images) {
    const size = encodedSize(image);
    const key = size ? `${size.width}x${size.height}` : 'unknown size';
    if (key !== `${side}x${side}`) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return [];
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const listed = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_LISTED_SIZES)
    .map(([key, count]) => `${count} are ${key}`)
    .join(', ');
  return [
    `${total} of ${images.length} images are not ${side}x${side} ` +
      `(${listed}); they will be resized, and accuracy may not match ` +
      'packs of aligned 112x112 faces',
  ];
}

/**
 * Opens an InsightFace verification pack. Throws a DataError for a missing
 * file, a pickle naming any non-whitelisted global or opcode, a truncated
 * file, or inconsistent counts (bins must be 2 * pairs, issame booleans,
 * every image a JPEG or PNG).
 */
export async function openVerificationPack(
  packPath: string,
  options: VerificationPackOptions = {},
): Promise<VerificationPack> {
  const side = options.expectedSize ?? PACK_IMAGE_SIZE;
  if (!Number.isInteger(side) || side < 1) {
    throw new DataError(
      `openVerificationPack: expectedSize must be a positive integer, ` +
        `but got ${side}`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(packPath);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataError(
      `${packPath}: verification pack must be a readable file, but got ` +
        reason,
    );
  }

  const { value, protocol } = unpickle(bytes, packPath);
  const { images, issame, imageForm } = readPackContent(value, packPath);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const numPairs = issame.length;
  const notes = describeSizes(images, side);
  if (numPairs % NUM_FOLDS !== 0) {
    notes.push(
      `the pair count ${numPairs} does not split into ${NUM_FOLDS} equal ` +
        'folds; the last folds will be smaller',
    );
  }

  const name = options.name ?? path.basename(packPath).replace(/\.bin$/, '');
  const where = (index: number): string => `${packPath} image ${index}`;
  const encoded = (index: number): Uint8Array => {
    checkImageIndex(index, images.length, packPath);
    return images[index];
  };
  return {
    name,
    path: packPath,
    numPairs,
    numImages: images.length,
    issame,
    folds: null,
    protocol,
    imageForm,
    notes,
    readEncoded: async (index: number) => encoded(index),
    readImage: async (
      index: number,
      resize: ResizeOptions,
    ): Promise<DecodedImage> =>
      decodeImage(encoded(index), resize, where(index)),
    sha256: async () => digest,
  };
}
