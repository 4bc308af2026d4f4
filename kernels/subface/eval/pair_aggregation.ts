/**
 * The pair view of the aggregation statistic (the paper's Fig. 1): for
 * same-identity pairs, the full cosine against the min and mean cosine
 * over T random k-dim subsets, sub-vectors renormalised inside each subset.
 */
import { SeededRandom } from '../runtime/random';
import { checkBlocks } from './blocks';
import { checkKeys, checkNumber, fail } from './errors';
import {
  countRows,
  EmbeddingMatrix,
  norm,
  range,
  Rows,
  toRows,
} from './matrix';
import { SUBNORM_EPSILON } from './aggregation';

export interface PairAggregationConfig {
  /** Dims per subset. Default round(dim / 4), at least 1. */
  k?: number | null;
  /** Number of random subsets T, shared by all pairs. Default 100. */
  numDraws?: number;
  /** Seed of the subset draws. Default 0. */
  seed?: number;
  /** Explicit subsets instead of random draws. Default null. */
  subsets?: readonly (readonly number[])[] | null;
  /** Row size of a flat embeddings array (needed only then). */
  embeddingDim?: number | null;
}

export const DEFAULT_PAIR_AGGREGATION_CONFIG = {
  k: null,
  numDraws: 100,
  seed: 0,
  subsets: null,
  embeddingDim: null,
} as const;

export interface PairAggregation {
  /** Dims per subset (the largest, for explicit subsets). */
  k: number;
  /** T, the number of subsets. */
  numDraws: number;
  seed: number;
  /** The subsets used, dims ascending. */
  subsets: Int32Array[];
  /** Pair indices, int32 [numPairs, 2] row-major. */
  pairs: Int32Array;
  /** Full cosine of each pair, float64 [numPairs]. */
  full: Float64Array;
  /** Min over subsets of the sub-cosine, float64 [numPairs]. */
  min: Float64Array;
  /** Mean over subsets of the sub-cosine, float64 [numPairs]. */
  mean: Float64Array;
  summary: {
    numPairs: number;
    meanFull: number;
    meanMin: number;
    meanMean: number;
    /** Sub-cosines undefined (a near-zero sub-vector), skipped. */
    numSkippedSubsets: number;
  };
}

/** Cosine of rows a and b inside `dims`; NaN without a direction. */
function subCosine(rows: Rows, a: number, b: number, dims: Int32Array) {
  const normA = norm(rows.data, a * rows.dim, dims);
  const normB = norm(rows.data, b * rows.dim, dims);
  if (normA < SUBNORM_EPSILON || normB < SUBNORM_EPSILON) return NaN;
  let sum = 0;
  for (const j of dims) {
    sum += rows.data[a * rows.dim + j] * rows.data[b * rows.dim + j];
  }
  return sum / (normA * normB);
}

function toPairs(
  pairs: ArrayLike<number> | readonly (readonly number[])[],
  numRows: number,
): Int32Array {
  const where = 'pairAggregation';
  const flat = Array.isArray(pairs)
    ? (pairs as (readonly number[] | number)[]).flat()
    : Array.from(pairs as ArrayLike<number>);
  if (flat.length === 0 || flat.length % 2 !== 0) {
    fail(where, 'pairs', 'a non-empty list of index pairs', pairs);
  }
  flat.forEach((index, i) => {
    if (!Number.isInteger(index) || index < 0 || index >= numRows) {
      fail(where, `pairs index ${i}`, `in [0, ${numRows})`, index);
    }
  });
  return Int32Array.from(flat);
}

function mean(values: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count += 1;
  }
  return count > 0 ? sum / count : NaN;
}

/**
 * Full cosine vs min and mean sub-cosine over T subsets of k dims drawn
 * once (one subset applies to every pair, as one SubFace mask applies to
 * a whole batch).
 * @param embeddings [n, dim], raw or unit
 * @param pairs same-identity pairs: [[a, b], ...] or flat [numPairs * 2]
 */
export function pairAggregation(
  embeddings: EmbeddingMatrix,
  pairs: ArrayLike<number> | readonly (readonly number[])[],
  config: PairAggregationConfig = {},
): PairAggregation {
  const where = 'pairAggregation';
  checkKeys(where, config, Object.keys(DEFAULT_PAIR_AGGREGATION_CONFIG));
  const resolved = { ...DEFAULT_PAIR_AGGREGATION_CONFIG, ...config };
  const numRows = countRows(where, embeddings, resolved.embeddingDim);
  const rows = toRows(where, embeddings, numRows);
  const pairIndex = toPairs(pairs, rows.numRows);
  const seed = checkNumber(where, 'seed', resolved.seed, { integer: true });

  let subsets: Int32Array[];
  if (resolved.subsets !== null) {
    subsets = resolved.subsets.map((s) =>
      checkBlocks(where, [s], rows.dim)[0].sort(),
    );
    if (subsets.length === 0) fail(where, 'subsets', 'non-empty', subsets);
  } else {
    const k = resolved.k ?? Math.max(1, Math.round(rows.dim / 4));
    checkNumber(where, 'k', k, { min: 1, max: rows.dim, integer: true });
    const numDraws = checkNumber(where, 'numDraws', resolved.numDraws, {
      min: 1,
      integer: true,
    });
    const random = new SeededRandom(seed);
    subsets = Array.from({ length: numDraws }, () =>
      random.sampleWithoutReplacement(rows.dim, k),
    );
  }

  const numPairs = pairIndex.length / 2;
  const full = new Float64Array(numPairs);
  const low = new Float64Array(numPairs);
  const average = new Float64Array(numPairs);
  const all = range(rows.dim);
  let numSkippedSubsets = 0;
  for (let p = 0; p < numPairs; p++) {
    const [a, b] = [pairIndex[2 * p], pairIndex[2 * p + 1]];
    full[p] = subCosine(rows, a, b, all);
    const cosines = Float64Array.from(subsets, (s) => subCosine(rows, a, b, s));
    const defined = cosines.filter((c) => !Number.isNaN(c));
    numSkippedSubsets += cosines.length - defined.length;
    low[p] = defined.length > 0 ? Math.min(...defined) : NaN;
    average[p] = mean(defined);
  }

  return {
    k: Math.max(...subsets.map((s) => s.length)),
    numDraws: subsets.length,
    seed,
    subsets,
    pairs: pairIndex,
    full,
    min: low,
    mean: average,
    summary: {
      numPairs,
      meanFull: mean(full),
      meanMin: mean(low),
      meanMean: mean(average),
      numSkippedSubsets,
    },
  };
}
