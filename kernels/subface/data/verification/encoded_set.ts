/**
 * What the verification readers add to `VerificationSet`: access to each
 * image's encoded bytes, so a pack writer can copy JPEGs unchanged and
 * hashing needs no decode.
 */
import { DataError, VerificationSet } from '../types';

/** A verification set whose images are encoded files (JPEG, PNG...). */
export interface EncodedVerificationSet extends VerificationSet {
  /** 2 * numPairs. */
  readonly numImages: number;
  /** The encoded bytes of image `index`; treat them as read-only. */
  readEncoded(index: number): Promise<Uint8Array>;
}

/** True when `set` can hand out encoded bytes (see EncodedVerificationSet). */
export function hasEncodedImages(
  set: VerificationSet,
): set is EncodedVerificationSet {
  const candidate = set as Partial<EncodedVerificationSet>;
  return (
    typeof candidate.readEncoded === 'function' &&
    typeof candidate.numImages === 'number'
  );
}

/** Throws unless `index` is an integer in [0, numImages). */
export function checkImageIndex(
  index: number,
  numImages: number,
  where: string,
): void {
  if (!Number.isInteger(index) || index < 0 || index >= numImages) {
    throw new DataError(
      `${where}: image index must be an integer in [0, ${numImages}), ` +
        `but got ${index}`,
    );
  }
}
