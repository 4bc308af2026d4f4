/**
 * Verification pairs built from a labelled set, for data that comes
 * without a pairs list (synthetic identities, a held-out split, a folder
 * of people): balanced same/different pairs, each pair drawn once.
 */
import { createHash } from 'crypto';

import { SeededRandom } from '../../runtime/random';
import { DataError, LabelledSource, VerificationSet } from '../types';

export interface PairOptions {
  /** Number of pairs. Default 600 (one LFW fold's worth x 1). */
  numPairs?: number;
  /** Share of same-identity pairs. Default 0.5. */
  sameFraction?: number;
  /** Seed of the draw. Default 0. */
  seed?: number;
  /** Name shown with results. Default: 'pairs of ' + description. */
  name?: string;
  /**
   * Side at which `sha256()` reads each image's pixels; 0 hashes the
   * pair list and the source's description only. Default 112.
   */
  hashSize?: number;
}

/** A VerificationSet that also says which source images it pairs. */
export interface PairedVerificationSet extends VerificationSet {
  /** sourceIndices[2i], [2i + 1]: the source images of pair i. */
  readonly sourceIndices: Int32Array;
}

const WHERE = 'makeVerificationPairs';
/** Draws per wanted pair before giving up on finding unused pairs. */
const ATTEMPTS_PER_PAIR = 50;

/**
 * Draws `numPairs` pairs: same pairs pick a person with 2+ images, then
 * two different images; different pairs pick two people, then one image
 * each. People are drawn uniformly, so large classes do not dominate. No
 * pair repeats and no image is paired with itself. Folds are null, so
 * 10-fold evaluation uses contiguous blocks; the pair order is shuffled
 * to keep those blocks balanced.
 */
export function makeVerificationPairs(
  source: LabelledSource,
  options: PairOptions = {},
): PairedVerificationSet {
  const {
    numPairs = 600,
    sameFraction = 0.5,
    seed = 0,
    name = `pairs of ${source.description}`,
    hashSize = 112,
  } = options;
  if (!Number.isInteger(numPairs) || numPairs < 1) {
    throw new DataError(
      `${WHERE}: numPairs must be a positive integer, but got ${numPairs}`,
    );
  }
  if (!(sameFraction >= 0 && sameFraction <= 1)) {
    throw new DataError(
      `${WHERE}: sameFraction must be in [0, 1], but got ${sameFraction}`,
    );
  }
  if (!Number.isInteger(hashSize) || hashSize < 0) {
    throw new DataError(
      `${WHERE}: hashSize must be a non-negative integer, but got ${hashSize}`,
    );
  }

  const byClass = new Map<number, number[]>();
  source.labels.forEach((label, index) => {
    const list = byClass.get(label) ?? [];
    list.push(index);
    byClass.set(label, list);
  });
  const people = [...byClass.keys()].sort((p, q) => p - q);
  const repeated = people.filter((p) => (byClass.get(p) ?? []).length >= 2);
  const numSame = Math.round(numPairs * sameFraction);
  const numDifferent = numPairs - numSame;
  if (numSame > 0 && repeated.length === 0) {
    throw new DataError(
      `${WHERE}: source must have an identity with 2+ images for same ` +
        `pairs, but got none among ${people.length}`,
    );
  }
  if (numDifferent > 0 && people.length < 2) {
    throw new DataError(
      `${WHERE}: source must have 2+ identities for different pairs, but ` +
        `got ${people.length}`,
    );
  }

  const random = new SeededRandom(seed).derive('pairs');
  const used = new Set<string>();
  const pairs: [number, number, boolean][] = [];
  const pickFrom = (list: number[]): number => list[random.int(list.length)];
  const draw = (count: number, same: boolean): void => {
    let attempts = 0;
    let drawn = 0;
    while (drawn < count) {
      if (attempts++ > count * ATTEMPTS_PER_PAIR) {
        throw new DataError(
          `${WHERE}: numPairs must fit the distinct ` +
            `${same ? 'same' : 'different'} ` +
            `pairs the source allows, but got ${count} wanted and only ` +
            `${drawn} found`,
        );
      }
      let first: number;
      let second: number;
      if (same) {
        const images = byClass.get(pickFrom(repeated)) ?? [];
        first = pickFrom(images);
        second = pickFrom(images);
        if (first === second) continue;
      } else {
        const p = pickFrom(people);
        const q = pickFrom(people);
        if (p === q) continue;
        first = pickFrom(byClass.get(p) ?? []);
        second = pickFrom(byClass.get(q) ?? []);
      }
      const key = first < second ? `${first},${second}` : `${second},${first}`;
      if (used.has(key)) continue;
      used.add(key);
      pairs.push([first, second, same]);
      drawn++;
    }
  };
  draw(numSame, true);
  draw(numDifferent, false);
  random.shuffle(pairs);

  const sourceIndices = new Int32Array(2 * numPairs);
  pairs.forEach(([first, second], i) => {
    sourceIndices[2 * i] = first;
    sourceIndices[2 * i + 1] = second;
  });
  const issame = pairs.map((pair) => pair[2]);
  let digest: Promise<string> | null = null;

  const readImage: VerificationSet['readImage'] = (index, resize) => {
    if (!Number.isInteger(index) || index < 0 || index >= 2 * numPairs) {
      return Promise.reject(
        new DataError(
          `${name}.readImage: index must be an integer in [0, ` +
            `${2 * numPairs}), but got ${index}`,
        ),
      );
    }
    return source.read(sourceIndices[index], resize);
  };

  const hash = async (): Promise<string> => {
    const sha = createHash('sha256');
    sha.update(JSON.stringify({ description: source.description, issame }));
    sha.update(Buffer.from(sourceIndices.buffer));
    if (hashSize > 0) {
      for (let i = 0; i < 2 * numPairs; i++) {
        const image = await readImage(i, { size: hashSize });
        sha.update(image.pixels);
      }
    }
    return sha.digest('hex');
  };

  return {
    name,
    numPairs,
    issame,
    folds: null,
    sourceIndices,
    readImage,
    // Computed once: reading every image is the expensive part. A
    // failed read is not cached.
    sha256: () =>
      (digest ??= hash().catch((error: unknown) => {
        digest = null;
        throw error;
      })),
  };
}
