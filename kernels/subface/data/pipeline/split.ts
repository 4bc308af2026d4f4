/**
 * Identity-disjoint train/evaluation splits: no person appears on both
 * sides, as face-recognition evaluation requires (a verification score on
 * people seen in training measures memory, not recognition).
 */
import { SeededRandom } from '../../runtime/random';
import { DataError, LabelledSource } from '../types';

export interface SplitOptions {
  /** Fraction of identities held out, in (0, 1). */
  evalFraction?: number;
  /** Number of identities held out, or their labels. */
  evalIdentities?: number | readonly number[];
  /** Seed of the identity draw. Default 0. */
  seed?: number;
}

export interface IdentitySplit {
  /** Training images, labels densified to 0..C-1. */
  train: LabelledSource;
  /** Held-out images, labels densified to 0..E-1. */
  eval: LabelledSource;
  /** trainLabels[newLabel] is the original label. */
  trainLabels: Int32Array;
  /** evalLabels[newLabel] is the original label. */
  evalLabels: Int32Array;
}

const WHERE = 'splitByIdentity';

/**
 * A view of `source` holding only `indices`, relabelled by `newLabel`
 * (original label -> dense label). Closing it leaves `source` open: the
 * view does not own it.
 */
export function subsetSource(
  source: LabelledSource,
  indices: Int32Array,
  classes: Int32Array,
  description: string,
): LabelledSource {
  const newLabel = new Map<number, number>();
  classes.forEach((label, dense) => newLabel.set(label, dense));
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const dense = newLabel.get(source.labels[indices[i]]);
    if (dense === undefined) {
      throw new DataError(
        `subsetSource: label of image ${indices[i]} must be one of the ` +
          `subset's classes, but got ${source.labels[indices[i]]}`,
      );
    }
    labels[i] = dense;
  }
  const names = source.classNames;
  return {
    description,
    numImages: indices.length,
    numClasses: classes.length,
    labels,
    classNames: names === null ? null : Array.from(classes, (c) => names[c]),
    read: (index, resize) => {
      if (!Number.isInteger(index) || index < 0 || index >= indices.length) {
        return Promise.reject(
          new DataError(
            `subsetSource.read: index must be an integer in [0, ` +
              `${indices.length}), but got ${index}`,
          ),
        );
      }
      return source.read(indices[index], resize);
    },
  };
}

function pickEvalClasses(
  present: Int32Array,
  options: SplitOptions,
): Set<number> {
  const { evalFraction, evalIdentities, seed = 0 } = options;
  if ((evalFraction === undefined) === (evalIdentities === undefined)) {
    throw new DataError(
      `${WHERE}: options must give exactly one of evalFraction or ` +
        'evalIdentities, but got ' +
        (evalFraction === undefined ? 'neither' : 'both'),
    );
  }
  if (Array.isArray(evalIdentities)) {
    const known = new Set(present);
    for (const label of evalIdentities) {
      if (!known.has(label)) {
        throw new DataError(
          `${WHERE}: evalIdentities must be labels that have images, but ` +
            `got ${label}`,
        );
      }
    }
    const held = new Set(evalIdentities);
    if (held.size === 0 || held.size >= present.length) {
      throw new DataError(
        `${WHERE}: evalIdentities must leave at least one identity on ` +
          `each side of ${present.length}, but got ${held.size} held out`,
      );
    }
    return held;
  }

  if (present.length < 2) {
    throw new DataError(
      `${WHERE}: source must have at least 2 identities with images, but ` +
        `got ${present.length}`,
    );
  }
  let count: number;
  if (evalFraction !== undefined) {
    if (!(evalFraction > 0 && evalFraction < 1)) {
      throw new DataError(
        `${WHERE}: evalFraction must be in (0, 1), but got ${evalFraction}`,
      );
    }
    // Rounding never empties a side.
    const rounded = Math.round(present.length * evalFraction);
    count = Math.min(Math.max(rounded, 1), present.length - 1);
  } else {
    count = evalIdentities as number;
    if (!Number.isInteger(count) || count < 1 || count >= present.length) {
      throw new DataError(
        `${WHERE}: evalIdentities must be an integer in [1, ` +
          `${present.length - 1}], but got ${count}`,
      );
    }
  }
  const picked = new SeededRandom(seed)
    .derive('split')
    .sampleWithoutReplacement(present.length, count);
  return new Set(Array.from(picked, (p) => present[p]));
}

/**
 * Splits `source` by identity: a seeded draw of people (or the given
 * labels) goes to `eval`, everyone else to `train`. Both sides get dense
 * labels; `trainLabels` / `evalLabels` map them back.
 */
export function splitByIdentity(
  source: LabelledSource,
  options: SplitOptions,
): IdentitySplit {
  const counts = new Int32Array(source.numClasses);
  for (const label of source.labels) counts[label]++;
  const present = Int32Array.from(
    Array.from(counts.keys()).filter((c) => counts[c] > 0),
  );
  const held = pickEvalClasses(present, options);

  const trainLabels = present.filter((c) => !held.has(c));
  const evalLabels = present.filter((c) => held.has(c));
  const trainIndices: number[] = [];
  const evalIndices: number[] = [];
  source.labels.forEach((label, index) => {
    (held.has(label) ? evalIndices : trainIndices).push(index);
  });
  const describe = (part: string, classes: Int32Array): string =>
    `${part} split (${classes.length} identities) of ${source.description}`;
  return {
    train: subsetSource(
      source,
      Int32Array.from(trainIndices),
      trainLabels,
      describe('train', trainLabels),
    ),
    eval: subsetSource(
      source,
      Int32Array.from(evalIndices),
      evalLabels,
      describe('eval', evalLabels),
    ),
    trainLabels,
    evalLabels,
  };
}
