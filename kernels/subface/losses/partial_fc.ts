/**
 * Partial FC: each step only a sample of the class centres (rows of W)
 * takes part. Every positive class of the batch is kept; the rest of the
 * num_sample = floor(sampleRate * numClasses) slots go to uniformly random
 * negatives drawn without replacement; if the positives alone exceed
 * num_sample, only they are used (InsightFace arcface_torch
 * `partial_fc_v2.py`). Labels are remapped to positions in the sorted
 * sample, as without that the one-hot picks the wrong centres; -1 stays -1.
 */
import { SeededRandom } from '../runtime/random';
import { checkKeys, checkNumber, LossError } from './errors';
import { NOT_IN_SHARD } from './labels';

export interface PartialFcConfig {
  /** Fraction of class centres sampled per step, in (0, 1]; default 1. */
  sampleRate?: number;
}

export type ResolvedPartialFc = Required<PartialFcConfig>;

export const DEFAULT_PARTIAL_FC_CONFIG: Readonly<ResolvedPartialFc> = {
  sampleRate: 1,
};

/** Validates a Partial FC config and returns a new, complete one. */
export function resolvePartialFcConfig(
  config: PartialFcConfig = {},
): ResolvedPartialFc {
  const where = 'resolvePartialFcConfig';
  checkKeys(where, config, Object.keys(DEFAULT_PARTIAL_FC_CONFIG));
  const merged = { ...DEFAULT_PARTIAL_FC_CONFIG, ...config };
  checkNumber(where, 'sampleRate', merged.sampleRate, {
    min: Number.MIN_VALUE,
    max: 1,
  });
  return merged;
}

/** The class centres of one step and the labels in their numbering. */
export interface ClassSample {
  /** [numSampled], sorted distinct class indices. */
  classIndex: Int32Array;
  /** [batch], positions in `classIndex`, or -1. */
  labels: Int32Array;
}

/**
 * Remaps labels to positions in the sorted `classIndex` (searchsorted).
 * @param labels [batch], class indices or -1; each >= 0 must be sampled
 */
export function remapLabels(
  labels: Int32Array,
  classIndex: Int32Array,
): Int32Array {
  const remapped = new Int32Array(labels.length);
  labels.forEach((label, i) => {
    if (label === NOT_IN_SHARD) {
      remapped[i] = NOT_IN_SHARD;
      return;
    }
    let low = 0;
    let high = classIndex.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (classIndex[middle] < label) low = middle + 1;
      else high = middle;
    }
    if (classIndex[low] !== label) {
      throw new LossError(
        `remapLabels: labels must be among the sampled classes, but got ` +
          `${label} at position ${i}`,
      );
    }
    remapped[i] = low;
  });
  return remapped;
}

/**
 * Draws the class centres of one step.
 * @param labels [batch], validated, in [0, numClasses) or -1
 */
export function sampleClasses(
  labels: Int32Array,
  numClasses: number,
  sampleRate: number,
  random: SeededRandom,
): ClassSample {
  const positives = new Set<number>();
  for (const label of labels) if (label !== NOT_IN_SHARD) positives.add(label);
  const numSample = Math.floor(sampleRate * numClasses);
  const numNegatives = Math.max(0, numSample - positives.size);

  // Draw negatives among the non-positive classes: pick positions in the
  // complement, then map each position to its class index.
  const sortedPositives = Int32Array.from(positives).sort();
  const positions = random.sampleWithoutReplacement(
    numClasses - positives.size,
    numNegatives,
  );
  const negatives = new Int32Array(numNegatives);
  let skipped = 0;
  positions.forEach((position, i) => {
    // positions are sorted, so the positive pointer only moves forward.
    while (
      skipped < sortedPositives.length &&
      sortedPositives[skipped] <= position + skipped
    ) {
      skipped++;
    }
    negatives[i] = position + skipped;
  });

  const classIndex = new Int32Array(positives.size + numNegatives);
  classIndex.set(sortedPositives);
  classIndex.set(negatives, positives.size);
  classIndex.sort();
  return { classIndex, labels: remapLabels(labels, classIndex) };
}
