/**
 * The ROC over all pairs (for plotting) and TAR at fixed FARs read off it.
 * Unlike the 10-fold accuracy, this uses every pair at once and every
 * distinct distance as a threshold, as IJB-style TAR@FAR reports do.
 */
import { checkNumber } from './errors';

/** Default FARs for TAR@FAR. */
export const DEFAULT_FARS: readonly number[] = [1e-1, 1e-2, 1e-3, 1e-4];

/**
 * ROC points in order of increasing distance: point k accepts every pair
 * with distance <= maxDistance[k]. The first point (0, 0) accepts none
 * (maxDistance -Infinity), matching sklearn's roc_curve without dropping
 * intermediate points.
 */
export interface PairRoc {
  fpr: Float64Array;
  tpr: Float64Array;
  maxDistance: Float64Array;
}

/** TAR at one FAR; `tar` null (with the reason) when it can't be had. */
export interface TarAtFar {
  far: number;
  tar: number | null;
  /** Accepts pairs with distance <= this (the operating point). */
  maxDistance: number | null;
  /** The FAR actually reached at that point (<= far). */
  achievedFar: number | null;
  reason: string | null;
}

/**
 * ROC over all pairs.
 * @param distances float64 [numPairs]
 * @param issame [numPairs], with at least one same and one different pair
 */
export function pairRoc(
  distances: Float64Array,
  issame: readonly boolean[],
): PairRoc {
  const order = Array.from(distances.keys()).sort(
    (a, b) => distances[a] - distances[b],
  );
  const numSame = issame.filter((same) => same).length;
  const numDifferent = issame.length - numSame;

  const fpr = [0];
  const tpr = [0];
  const maxDistance = [-Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    if (issame[order[k]]) tp += 1;
    else fp += 1;
    // Ties form one point: emit only after the last pair of a distance.
    const here = distances[order[k]];
    if (k + 1 < order.length && distances[order[k + 1]] === here) continue;
    fpr.push(fp / numDifferent);
    tpr.push(tp / numSame);
    maxDistance.push(here);
  }
  return {
    fpr: Float64Array.from(fpr),
    tpr: Float64Array.from(tpr),
    maxDistance: Float64Array.from(maxDistance),
  };
}

/**
 * TAR at each FAR: the best TPR among ROC points with FPR <= far. A FAR
 * below the resolution 1 / numDifferent can't be measured (it would be
 * TAR at FAR 0), so it is reported as null with the reason.
 */
export function tarAtFar(
  roc: PairRoc,
  numDifferent: number,
  fars: readonly number[] = DEFAULT_FARS,
): TarAtFar[] {
  return fars.map((far) => {
    checkNumber('tarAtFar', 'far', far, { min: 0, max: 1 });
    if (numDifferent * far < 1) {
      const needed = Math.ceil(1 / far - 1e-9);
      return {
        far,
        tar: null,
        maxDistance: null,
        achievedFar: null,
        reason:
          `needs at least ${needed} different-identity pairs ` +
          `(FAR resolution 1/${numDifferent})`,
      };
    }
    let best = 0;
    for (let k = 1; k < roc.fpr.length; k++) {
      if (roc.fpr[k] <= far && roc.tpr[k] >= roc.tpr[best]) best = k;
    }
    return {
      far,
      tar: roc.tpr[best],
      maxDistance: roc.maxDistance[best],
      achievedFar: roc.fpr[best],
      reason: null,
    };
  });
}
