/**
 * The class x subspace aggregation table (docs/method.md, "Aggregation
 * statistic"): how tightly each class gathers around its centre inside
 * each block of dimensions, with sub-vectors renormalised inside the block
 * exactly as SubFace does.
 */
import { SeededRandom } from '../runtime/random';
import { BLOCK_MODES, checkBlocks, splitDims } from './blocks';
import { checkKeys, checkNumber, fail } from './errors';
import { EmbeddingMatrix, norm, range, Rows, toRows } from './matrix';

/** A sub-vector shorter than this has no direction: skipped, counted. */
export const SUBNORM_EPSILON = 1e-6;

export interface AggregationConfig {
  /** Number of blocks K. Default 4 (ignored with explicit blocks). */
  numBlocks?: number;
  /** Dims per block instead of numBlocks (must divide dim). */
  blockSize?: number | null;
  /** 'contiguous' (default), 'permuted' (seeded) or explicit dim lists. */
  blocks?: 'contiguous' | 'permuted' | readonly (readonly number[])[];
  /** Seed for the permutation and the class sample. Default 0. */
  seed?: number;
  /** Centre without the sample itself. Default false. */
  leaveOneOut?: boolean;
  /** Use W_c[S] instead of mu_c^S: [numClasses, dim]. Default null. */
  classCenters?: EmbeddingMatrix | null;
  /** Keep at most this many classes (a seeded sample). Default null. */
  maxClasses?: number | null;
}

export const DEFAULT_AGGREGATION_CONFIG = {
  numBlocks: 4,
  blockSize: null,
  blocks: 'contiguous',
  seed: 0,
  leaveOneOut: false,
  classCenters: null,
  maxClasses: null,
} as const;

export interface AggregationTable {
  /** Label of each row, int32 [numRows]. */
  classes: Int32Array;
  /** Samples of each row's class, int32 [numRows]. */
  counts: Int32Array;
  /** Dims of each block (the full column is all dims). */
  blocks: Int32Array[];
  /** Column names: 'S1', ..., 'SK', 'full'. */
  columns: string[];
  /** A[c, S], float64 [numRows, K + 1] row-major, NaN when undefined. */
  values: Float64Array;
  /** Mean of the defined cells of each column, float64 [K + 1]. */
  columnMeans: Float64Array;
  /** A[c, full] - min_S A[c, S] over defined blocks, float64 [numRows]. */
  gap: Float64Array;
  /** Dims per block (the largest block when sizes differ). */
  k: number;
  seed: number;
  blockMode: 'contiguous' | 'permuted' | 'explicit';
  center: 'samples' | 'samplesLeaveOneOut' | 'classCenters';
  /** Classes with fewer than 2 samples, left out. */
  skippedClasses: { label: number; count: number }[];
  /** Sub-vectors (sample x column) with norm < SUBNORM_EPSILON. */
  numNearZeroSubvectors: number;
  numUndefinedCells: number;
  notes: string[];
}

/** Unit sub-vectors of `members` in `dims` (short ones dropped). */
function unitSubvectors(
  rows: Rows,
  members: readonly number[],
  dims: Int32Array,
): { vectors: Float64Array[]; skipped: number } {
  const vectors: Float64Array[] = [];
  for (const i of members) {
    const length = norm(rows.data, i * rows.dim, dims);
    if (length < SUBNORM_EPSILON) continue;
    const v = new Float64Array(dims.length);
    for (let j = 0; j < dims.length; j++) {
      v[j] = rows.data[i * rows.dim + dims[j]] / length;
    }
    vectors.push(v);
  }
  return { vectors, skipped: members.length - vectors.length };
}

function dot(a: Float64Array, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
}

/** Unit vector of `v`, or null when it has no direction. */
function direction(v: Float64Array): Float64Array | null {
  const length = Math.sqrt(dot(v, v));
  return length < SUBNORM_EPSILON ? null : v.map((x) => x / length);
}

/**
 * One cell: mean cosine of the unit sub-vectors to the class direction.
 * NaN when fewer than 2 sub-vectors have a direction.
 */
function cell(
  vectors: Float64Array[],
  center: Float64Array | null | 'samples',
  leaveOneOut: boolean,
): number {
  if (vectors.length < 2 || center === null) return NaN;
  if (center !== 'samples') {
    return vectors.reduce((s, v) => s + dot(v, center), 0) / vectors.length;
  }

  const total = new Float64Array(vectors[0].length);
  for (const v of vectors) v.forEach((x, j) => (total[j] += x));
  let sum = 0;
  for (const v of vectors) {
    // Leave-one-out: the centre of the other samples of the class.
    const mu = direction(leaveOneOut ? total.map((x, j) => x - v[j]) : total);
    if (mu === null) return NaN;
    sum += dot(v, mu);
  }
  return sum / vectors.length;
}

function resolveBlocks(
  config: Required<AggregationConfig>,
  dim: number,
): { blocks: Int32Array[]; mode: AggregationTable['blockMode'] } {
  const where = 'aggregationTable';
  if (Array.isArray(config.blocks)) {
    return { blocks: checkBlocks(where, config.blocks, dim), mode: 'explicit' };
  }
  const mode = config.blocks as 'contiguous' | 'permuted';
  if (!BLOCK_MODES.includes(mode)) {
    fail(where, 'blocks', "'contiguous', 'permuted' or dim lists", mode);
  }
  let numBlocks = config.numBlocks;
  if (config.blockSize !== null) {
    const size = config.blockSize;
    checkNumber(where, 'blockSize', size, { min: 1, max: dim, integer: true });
    if (dim % size !== 0) fail(where, 'blockSize', `a divisor of ${dim}`, size);
    numBlocks = dim / size;
  }
  checkNumber(where, 'numBlocks', numBlocks, {
    min: 1,
    max: dim,
    integer: true,
  });
  return { blocks: splitDims(dim, numBlocks, mode, config.seed), mode };
}

function resolveConfig(config: AggregationConfig): Required<AggregationConfig> {
  const where = 'aggregationTable';
  checkKeys(where, config, Object.keys(DEFAULT_AGGREGATION_CONFIG));
  const resolved = { ...DEFAULT_AGGREGATION_CONFIG, ...config };
  checkNumber(where, 'seed', resolved.seed, { integer: true });
  if (resolved.maxClasses !== null) {
    checkNumber(where, 'maxClasses', resolved.maxClasses, {
      min: 1,
      integer: true,
    });
  }
  if (resolved.leaveOneOut && resolved.classCenters !== null) {
    fail(where, 'leaveOneOut', 'false with classCenters', true);
  }
  return resolved;
}

/** Rows of class centres, indexed by label. */
function centerRows(input: EmbeddingMatrix, dim: number): Rows {
  const where = 'aggregationTable';
  const numRows =
    'shape' in input
      ? input.shape[0]
      : Array.isArray(input)
        ? input.length
        : (input as Float32Array).length / dim;
  const rows = toRows(where, input, numRows);
  if (rows.dim !== dim) fail(where, 'classCenters dim', `${dim}`, rows.dim);
  return rows;
}

/** Sample indices of every label, labels ascending. */
function groupByLabel(
  labels: ArrayLike<number>,
  numClassCenters: number | null,
): Map<number, number[]> {
  const where = 'aggregationTable';
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const limit = numClassCenters ?? Infinity;
    if (!Number.isInteger(label) || label < 0 || label >= limit) {
      const expected = `an integer in [0, ${limit})`;
      fail(where, `labels[${i}]`, expected, label);
    }
    const group = groups.get(label);
    if (group) group.push(i);
    else groups.set(label, [i]);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

/**
 * The class x subspace table A[c, S] (docs/method.md, "Aggregation
 * statistic"): per class and block S, mu_c^S =
 * normalize(sum_i normalize(E_i[S])) and A[c, S] = mean_i cos(E_i[S],
 * mu_c^S), plus a `full` column over all dims.
 * @param embeddings [n, dim], raw or unit (sub-vectors are renormalised)
 * @param labels int [n]
 */
export function aggregationTable(
  embeddings: EmbeddingMatrix,
  labels: ArrayLike<number>,
  config: AggregationConfig = {},
): AggregationTable {
  const resolved = resolveConfig(config);
  const rows = toRows('aggregationTable', embeddings, labels.length);
  const centers =
    resolved.classCenters === null
      ? null
      : centerRows(resolved.classCenters, rows.dim);
  const { blocks, mode } = resolveBlocks(resolved, rows.dim);
  const columns = [...blocks, range(rows.dim)];
  const notes: string[] = [];

  const groups = groupByLabel(labels, centers?.numRows ?? null);
  const skippedClasses: AggregationTable['skippedClasses'] = [];
  let eligible: number[] = [];
  for (const [label, members] of groups) {
    if (members.length < 2) {
      skippedClasses.push({ label, count: members.length });
    } else eligible.push(label);
  }
  if (skippedClasses.length > 0) {
    notes.push(`${skippedClasses.length} classes with < 2 samples skipped`);
  }
  const maxClasses = resolved.maxClasses;
  if (maxClasses !== null && eligible.length > maxClasses) {
    const random = new SeededRandom(resolved.seed).derive('classes');
    const picked = random.sampleWithoutReplacement(eligible.length, maxClasses);
    notes.push(
      `showing ${maxClasses} of ${eligible.length} classes ` +
        `(seeded sample, seed ${resolved.seed})`,
    );
    eligible = Array.from(picked, (k) => eligible[k]);
  }

  const numColumns = columns.length;
  const values = new Float64Array(eligible.length * numColumns);
  let numNearZeroSubvectors = 0;
  eligible.forEach((label, row) => {
    const members = groups.get(label) as number[];
    columns.forEach((dims, column) => {
      const { vectors, skipped } = unitSubvectors(rows, members, dims);
      numNearZeroSubvectors += skipped;
      const center = centers
        ? direction(gatherRow(centers, label, dims))
        : 'samples';
      values[row * numColumns + column] = cell(
        vectors,
        center,
        resolved.leaveOneOut,
      );
    });
  });

  const summary = summarize(values, eligible.length, numColumns);
  if (numNearZeroSubvectors > 0) {
    notes.push(`${numNearZeroSubvectors} near-zero sub-vectors skipped`);
  }
  if (summary.numUndefinedCells > 0) {
    notes.push(`${summary.numUndefinedCells} cells undefined (NaN)`);
  }
  return {
    classes: Int32Array.from(eligible),
    counts: Int32Array.from(eligible, (l) => groups.get(l)!.length),
    blocks,
    columns: [...blocks.map((_, b) => `S${b + 1}`), 'full'],
    values,
    columnMeans: summary.columnMeans,
    gap: summary.gap,
    k: Math.max(...blocks.map((b) => b.length)),
    seed: resolved.seed,
    blockMode: mode,
    center: centers
      ? 'classCenters'
      : resolved.leaveOneOut
        ? 'samplesLeaveOneOut'
        : 'samples',
    skippedClasses,
    numNearZeroSubvectors,
    numUndefinedCells: summary.numUndefinedCells,
    notes,
  };
}

function gatherRow(rows: Rows, row: number, dims: Int32Array): Float64Array {
  return Float64Array.from(dims, (j) => rows.data[row * rows.dim + j]);
}

/** Column means and per-row gaps over the defined (non-NaN) cells. */
function summarize(
  values: Float64Array,
  numRows: number,
  numColumns: number,
): { columnMeans: Float64Array; gap: Float64Array; numUndefinedCells: number } {
  const sums = new Float64Array(numColumns);
  const counts = new Float64Array(numColumns);
  const gap = new Float64Array(numRows);
  let numUndefinedCells = 0;
  for (let r = 0; r < numRows; r++) {
    let lowest = Infinity;
    for (let c = 0; c < numColumns; c++) {
      const value = values[r * numColumns + c];
      if (Number.isNaN(value)) {
        numUndefinedCells += 1;
        continue;
      }
      sums[c] += value;
      counts[c] += 1;
      if (c < numColumns - 1) lowest = Math.min(lowest, value);
    }
    const full = values[r * numColumns + numColumns - 1];
    gap[r] = lowest === Infinity ? NaN : full - lowest;
  }
  return {
    columnMeans: sums.map((s, c) => (counts[c] > 0 ? s / counts[c] : NaN)),
    gap,
    numUndefinedCells,
  };
}
