/**
 * The threshold grid of InsightFace's 10-fold protocol and the counting
 * that scores every threshold at once.
 */

/** Grid step on the squared distance (a cosine step of 0.005). */
export const THRESHOLD_STEP = 0.01;
/** Number of grid thresholds: 0, 0.01, ..., 3.99. */
export const NUM_THRESHOLDS = 400;

/**
 * np.arange(0, 4, 0.01) bit for bit: numpy fills element i as
 * start + i * step, so i * 0.01 (not i / 100, which differs in the last
 * bit for some i).
 * @returns float64 [NUM_THRESHOLDS]
 */
export function thresholdGrid(): Float64Array {
  const grid = new Float64Array(NUM_THRESHOLDS);
  for (let i = 0; i < NUM_THRESHOLDS; i++) grid[i] = i * THRESHOLD_STEP;
  return grid;
}

/**
 * For each distance, the first grid index whose threshold accepts it
 * (dist < threshold, strict): the pair is predicted "same" at grid index
 * i iff i >= firstAccepting[pair]; NUM_THRESHOLDS when none does.
 * @param distances float64 [numPairs]
 * @param grid ascending thresholds [numThresholds]
 * @returns int32 [numPairs]
 */
export function firstAcceptingIndex(
  distances: Float64Array,
  grid: Float64Array,
): Int32Array {
  const out = new Int32Array(distances.length);
  for (let p = 0; p < distances.length; p++) {
    // Binary search for the first threshold strictly above the distance.
    let low = 0;
    let high = grid.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (distances[p] < grid[mid]) high = mid;
      else low = mid + 1;
    }
    out[p] = low;
  }
  return out;
}

/** Cumulative "predicted same" counts per threshold for a set of pairs. */
export interface ThresholdCounts {
  /** truePositives[i]: same pairs accepted at threshold i. */
  truePositives: Float64Array;
  /** falsePositives[i]: different pairs accepted at threshold i. */
  falsePositives: Float64Array;
  numSame: number;
  numDifferent: number;
}

/**
 * Counts, for every grid threshold, the accepted same and different pairs
 * among the pairs where `include(pair)` holds.
 */
export function countByThreshold(
  firstAccepting: Int32Array,
  issame: readonly boolean[],
  numThresholds: number,
  include: (pair: number) => boolean,
): ThresholdCounts {
  const truePositives = new Float64Array(numThresholds + 1);
  const falsePositives = new Float64Array(numThresholds + 1);
  let numSame = 0;
  let numDifferent = 0;
  for (let p = 0; p < firstAccepting.length; p++) {
    if (!include(p)) continue;
    if (issame[p]) {
      truePositives[firstAccepting[p]] += 1;
      numSame += 1;
    } else {
      falsePositives[firstAccepting[p]] += 1;
      numDifferent += 1;
    }
  }

  // Histogram of first accepting index -> accepted count per threshold.
  for (let i = 1; i <= numThresholds; i++) {
    truePositives[i] += truePositives[i - 1];
    falsePositives[i] += falsePositives[i - 1];
  }
  return {
    truePositives: truePositives.subarray(0, numThresholds),
    falsePositives: falsePositives.subarray(0, numThresholds),
    numSame,
    numDifferent,
  };
}

/** Accuracy, TPR and FPR at threshold i, as InsightFace words them. */
export function ratesAt(
  counts: ThresholdCounts,
  i: number,
): { accuracy: number; tpr: number; fpr: number } {
  const tp = counts.truePositives[i];
  const fp = counts.falsePositives[i];
  const tn = counts.numDifferent - fp;
  const total = counts.numSame + counts.numDifferent;
  // calculate_accuracy returns 0 (not NaN) for a class with no pairs.
  return {
    accuracy: (tp + tn) / total,
    tpr: counts.numSame === 0 ? 0 : tp / counts.numSame,
    fpr: counts.numDifferent === 0 ? 0 : fp / counts.numDifferent,
  };
}
