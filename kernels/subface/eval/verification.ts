/**
 * 10-fold face verification exactly as InsightFace's
 * `eval/verification.py` (docs/method.md, "Verification protocol"):
 * squared Euclidean distance, thresholds 0, 0.01, ..., 3.99 with a strict
 * `<`, the first best threshold on the training folds, mean and population
 * std of the test-fold accuracies, and the ROC averaged over folds.
 */
import { checkKeys, checkNumber, fail } from './errors';
import { checkFoldList, FoldsSource, kFoldAssignment } from './folds';
import { EmbeddingMatrix, toRows } from './matrix';
import { DEFAULT_FARS, pairRoc, PairRoc, TarAtFar, tarAtFar } from './roc';
import {
  countByThreshold,
  firstAcceptingIndex,
  NUM_THRESHOLDS,
  ratesAt,
  thresholdGrid,
} from './thresholds';

export interface VerificationConfig {
  /**
   * Fold id of each pair, e.g. `VerificationSet.folds` from LFW's
   * pairs.txt. Default null: KFold(numFolds, shuffle=False) blocks.
   */
  folds?: ArrayLike<number> | null;
  /** Number of folds when `folds` is null. Default 10. */
  numFolds?: number;
  /** The set's `sha256()`, carried into the result. Default null. */
  sha256?: string | null;
  /** True when the embeddings are flip-fused (labels the result). */
  flip?: boolean;
  /** FARs for TAR@FAR. Default 1e-1, 1e-2, 1e-3, 1e-4. */
  fars?: readonly number[];
  /**
   * Expected embedding size, checked when given. A flat array's size is
   * otherwise inferred from its length and the pair count. Default null.
   */
  embeddingDim?: number | null;
}

export const DEFAULT_VERIFICATION_CONFIG = {
  folds: null,
  numFolds: 10,
  sha256: null,
  flip: false,
  fars: DEFAULT_FARS,
  embeddingDim: null,
} as const;

/** The two sides of every pair, as separate [numPairs, dim] matrices. */
export interface PairEmbeddings {
  e1: EmbeddingMatrix;
  e2: EmbeddingMatrix;
}

export interface FoldResult {
  fold: number;
  /** Pairs in the held-out fold. */
  numPairs: number;
  /** Best threshold on the other folds (squared distance). */
  threshold: number;
  thresholdIndex: number;
  /** Accuracy on the held-out fold at `threshold`. */
  accuracy: number;
  /** Accuracy on the other folds at `threshold`. */
  trainAccuracy: number;
}

export interface VerificationResult {
  /** Mean of the test-fold accuracies. */
  accuracy: number;
  /** Population std (ddof 0) of the test-fold accuracies. */
  accuracyStd: number;
  folds: FoldResult[];
  numFolds: number;
  foldsSource: FoldsSource;
  numPairs: number;
  numSame: number;
  numDifferent: number;
  flip: boolean;
  sha256: string | null;
  /** The grid, float64 [400]. */
  thresholds: Float64Array;
  /** TPR and FPR per grid threshold, averaged over test folds [400]. */
  roc: { tpr: Float64Array; fpr: Float64Array };
  /** ROC over all pairs at every distinct distance (for plotting). */
  rocAllPairs: PairRoc;
  tarAtFar: TarAtFar[];
  /** Squared distance of each pair, float64 [numPairs]. */
  distances: Float64Array;
}

type ResolvedConfig = Required<VerificationConfig>;

function resolveConfig(config: VerificationConfig): ResolvedConfig {
  const where = 'verify';
  checkKeys(where, config, Object.keys(DEFAULT_VERIFICATION_CONFIG));
  const resolved = { ...DEFAULT_VERIFICATION_CONFIG, ...config };
  checkNumber(where, 'numFolds', resolved.numFolds, { min: 2, integer: true });
  if (resolved.embeddingDim !== null) {
    checkNumber(where, 'embeddingDim', resolved.embeddingDim, {
      min: 1,
      integer: true,
    });
  }
  const sha = resolved.sha256;
  if (sha !== null && (typeof sha !== 'string' || sha.length === 0)) {
    fail(where, 'sha256', 'a non-empty string or null', sha);
  }
  return resolved;
}

/**
 * Squared Euclidean distance of each pair, in float64.
 * Porting note: InsightFace computes in the embeddings' dtype (float32);
 * float64 only differs for a distance within float32 rounding of a
 * threshold.
 */
function pairDistances(
  embeddings: EmbeddingMatrix | PairEmbeddings,
  numPairs: number,
  expectedDim: number | null,
): Float64Array {
  const where = 'verify';
  let first: Float64Array;
  let second: Float64Array;
  let dim: number;
  let stride: number;
  let secondOffset: number;
  if (isPairEmbeddings(embeddings)) {
    const e1 = toRows(where, embeddings.e1, numPairs);
    const e2 = toRows(where, embeddings.e2, numPairs);
    if (e1.dim !== e2.dim) fail(where, 'e2 dim', `${e1.dim}`, e2.dim);
    [first, second, dim] = [e1.data, e2.data, e1.dim];
    [stride, secondOffset] = [dim, 0];
  } else {
    // Interleaved: pair i is rows 2i and 2i + 1.
    const rows = toRows(where, embeddings, 2 * numPairs);
    [first, second, dim] = [rows.data, rows.data, rows.dim];
    [stride, secondOffset] = [2 * dim, dim];
  }

  if (expectedDim !== null && dim !== expectedDim) {
    fail(where, 'embedding dim', `embeddingDim (${expectedDim})`, dim);
  }
  const distances = new Float64Array(numPairs);
  for (let p = 0; p < numPairs; p++) {
    const a = p * stride;
    const b = a + secondOffset;
    let sum = 0;
    for (let j = 0; j < dim; j++) {
      const diff = first[a + j] - second[b + j];
      sum += diff * diff;
    }
    distances[p] = sum;
  }
  return distances;
}

function isPairEmbeddings(value: unknown): value is PairEmbeddings {
  return (
    typeof value === 'object' &&
    value !== null &&
    'e1' in value &&
    'e2' in value
  );
}

function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.map((v) => (v - mean) * (v - mean));
  const variance = squares.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Verification accuracy by k-fold cross-validation of the threshold.
 * @param embeddings [2 * numPairs, dim] interleaved by pair (pair i =
 *   rows 2i and 2i + 1), or `{ e1, e2 }` each [numPairs, dim]; unit
 *   length for the usual [0, 4] distance range
 * @param issame [numPairs], whether pair i shows one identity
 */
export function verify(
  embeddings: EmbeddingMatrix | PairEmbeddings,
  issame: readonly boolean[],
  config: VerificationConfig = {},
): VerificationResult {
  const where = 'verify';
  const resolved = resolveConfig(config);
  if (!Array.isArray(issame) || issame.some((s) => typeof s !== 'boolean')) {
    fail(where, 'issame', 'an array of booleans', issame);
  }
  const numPairs = issame.length;
  const numSame = issame.filter((same) => same).length;
  if (numSame === 0 || numSame === numPairs) {
    fail(where, 'issame', 'both same and different pairs', { numSame });
  }

  const listed = resolved.folds !== null;
  const numFolds = listed
    ? checkFoldList(where, resolved.folds as ArrayLike<number>, numPairs)
    : resolved.numFolds;
  const folds = listed
    ? Int32Array.from(resolved.folds as ArrayLike<number>)
    : null;
  if (numPairs < numFolds) {
    fail(where, 'number of pairs', `>= numFolds (${numFolds})`, numPairs);
  }
  const foldOf = folds ?? kFoldAssignment(numPairs, numFolds);
  // Porting note: InsightFace silently uses min(len(issame), len(e1))
  // pairs; a mismatch here is an error instead.
  const distances = pairDistances(embeddings, numPairs, resolved.embeddingDim);

  const grid = thresholdGrid();
  const firstAccepting = firstAcceptingIndex(distances, grid);
  const tprSum = new Float64Array(NUM_THRESHOLDS);
  const fprSum = new Float64Array(NUM_THRESHOLDS);
  const foldResults: FoldResult[] = [];
  for (let fold = 0; fold < numFolds; fold++) {
    const train = countByThreshold(
      firstAccepting,
      issame,
      NUM_THRESHOLDS,
      (p) => foldOf[p] !== fold,
    );
    const test = countByThreshold(
      firstAccepting,
      issame,
      NUM_THRESHOLDS,
      (p) => foldOf[p] === fold,
    );

    // np.argmax: the first (smallest) threshold of the best accuracy.
    let best = 0;
    let bestAccuracy = ratesAt(train, 0).accuracy;
    for (let i = 1; i < NUM_THRESHOLDS; i++) {
      const accuracy = ratesAt(train, i).accuracy;
      if (accuracy > bestAccuracy) [best, bestAccuracy] = [i, accuracy];
    }

    for (let i = 0; i < NUM_THRESHOLDS; i++) {
      const rates = ratesAt(test, i);
      tprSum[i] += rates.tpr;
      fprSum[i] += rates.fpr;
    }
    foldResults.push({
      fold,
      numPairs: test.numSame + test.numDifferent,
      threshold: grid[best],
      thresholdIndex: best,
      accuracy: ratesAt(test, best).accuracy,
      trainAccuracy: bestAccuracy,
    });
  }

  const { mean, std } = meanAndStd(foldResults.map((f) => f.accuracy));
  const rocAllPairs = pairRoc(distances, issame);
  const numDifferent = numPairs - numSame;
  return {
    accuracy: mean,
    accuracyStd: std,
    folds: foldResults,
    numFolds,
    foldsSource: listed ? 'list' : 'kfold-contiguous',
    numPairs,
    numSame,
    numDifferent,
    flip: resolved.flip,
    sha256: resolved.sha256,
    thresholds: grid,
    roc: {
      tpr: tprSum.map((v) => v / numFolds),
      fpr: fprSum.map((v) => v / numFolds),
    },
    rocAllPairs,
    tarAtFar: tarAtFar(rocAllPairs, numDifferent, resolved.fars),
    distances,
  };
}
