/**
 * 2-D or 3-D projections of embeddings for the notebook's scatter plot:
 * PCA (tfjs), UMAP (umap-js) or exact t-SNE, on a seeded sample whose cap
 * is stated in the result.
 */
import { UMAP } from 'umap-js';

import { SeededRandom } from '../runtime/random';
import { checkKeys, checkNumber, checkOption, fail } from './errors';
import { countRows, EmbeddingMatrix, Rows, toRows } from './matrix';
import { pca } from './pca';
import { EXAGGERATION, tsne, TSNE_MAX_POINTS } from './tsne';

export const PROJECTION_METHODS = ['pca', 'umap', 'tsne'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

export interface ProjectionConfig {
  /** Default 'pca'. */
  method?: ProjectionMethod;
  /** 2 (default) or 3. */
  dims?: 2 | 3;
  /** Largest number of points shown (a seeded sample). Default 5000. */
  maxPoints?: number;
  /** Seed of the sample, UMAP and t-SNE. Default 0. */
  seed?: number;
  /** UMAP neighbours, clipped to n - 1. Default 15. */
  nNeighbors?: number;
  /** UMAP epochs; null lets umap-js choose (500 below 10k points). */
  nEpochs?: number | null;
  /** t-SNE perplexity, clipped to (n - 1) / 3. Default 30. */
  perplexity?: number;
  /** t-SNE iterations. Default 1000. */
  iterations?: number;
  /** Row size of a flat embeddings array without labels. */
  embeddingDim?: number | null;
}

export const DEFAULT_PROJECTION_CONFIG = {
  method: 'pca' as ProjectionMethod,
  dims: 2 as 2 | 3,
  maxPoints: 5000,
  seed: 0,
  nNeighbors: 15,
  nEpochs: null as number | null,
  perplexity: 30,
  iterations: 1000,
  embeddingDim: null as number | null,
};

export interface Projection {
  method: ProjectionMethod;
  dims: 2 | 3;
  /** float32 [shown, dims] row-major. */
  coords: Float32Array;
  /** Which input rows are shown, ascending, int32 [shown]. */
  indices: Int32Array;
  /** Labels of the shown rows, or null without labels. */
  labels: Int32Array | null;
  cap: { total: number; shown: number; sampled: boolean; note: string };
  /** PCA only: variance share of each axis. */
  explainedVariance: Float64Array | null;
  notes: string[];
}

type Resolved = typeof DEFAULT_PROJECTION_CONFIG;

function resolveConfig(config: ProjectionConfig): Resolved {
  const where = 'projectEmbeddings';
  checkKeys(where, config, Object.keys(DEFAULT_PROJECTION_CONFIG));
  const resolved = { ...DEFAULT_PROJECTION_CONFIG, ...config };
  checkOption(where, 'method', resolved.method, PROJECTION_METHODS);
  checkOption(where, 'dims', resolved.dims, [2, 3]);
  checkNumber(where, 'maxPoints', resolved.maxPoints, {
    min: 1,
    integer: true,
  });
  checkNumber(where, 'seed', resolved.seed, { integer: true });
  checkNumber(where, 'nNeighbors', resolved.nNeighbors, {
    min: 2,
    integer: true,
  });
  if (resolved.nEpochs !== null) {
    checkNumber(where, 'nEpochs', resolved.nEpochs, { min: 1, integer: true });
  }
  checkNumber(where, 'perplexity', resolved.perplexity, { min: 1 });
  checkNumber(where, 'iterations', resolved.iterations, {
    min: 1,
    integer: true,
  });
  return resolved;
}

/** The seeded sample of at most `cap` rows, and the sentence saying so. */
function sample(
  total: number,
  cap: number,
  seed: number,
  reason: string,
): { indices: Int32Array; note: string } {
  if (total <= cap) {
    const indices = Int32Array.from({ length: total }, (_, i) => i);
    return { indices, note: `showing all ${total} points` };
  }
  const random = new SeededRandom(seed).derive('projection-sample');
  return {
    indices: random.sampleWithoutReplacement(total, cap),
    note:
      `showing ${cap} of ${total} points ` +
      `(seeded sample, seed ${seed}${reason})`,
  };
}

function gather(rows: Rows, indices: Int32Array): Rows {
  const data = new Float64Array(indices.length * rows.dim);
  indices.forEach((i, k) => {
    data.set(
      rows.data.subarray(i * rows.dim, (i + 1) * rows.dim),
      k * rows.dim,
    );
  });
  return { data, numRows: indices.length, dim: rows.dim };
}

async function runUmap(rows: Rows, config: Resolved): Promise<Float32Array> {
  const random = new SeededRandom(config.seed).derive('umap');
  const umap = new UMAP({
    nComponents: config.dims,
    nNeighbors: Math.min(config.nNeighbors, rows.numRows - 1),
    ...(config.nEpochs !== null ? { nEpochs: config.nEpochs } : {}),
    random: () => random.next(),
  });
  const vectors = Array.from({ length: rows.numRows }, (_, i) =>
    Array.from(rows.data.subarray(i * rows.dim, (i + 1) * rows.dim)),
  );
  const embedding = await umap.fitAsync(vectors);
  return Float32Array.from(embedding.flat());
}

/**
 * Projects embeddings to 2 or 3 dimensions.
 * @param embeddings [n, dim]
 * @param labels int [n] (carried to the shown points), or null
 */
export async function projectEmbeddings(
  embeddings: EmbeddingMatrix,
  labels: ArrayLike<number> | null,
  config: ProjectionConfig = {},
): Promise<Projection> {
  const where = 'projectEmbeddings';
  const resolved = resolveConfig(config);
  const { method, dims, seed } = resolved;
  const total =
    labels?.length ?? countRows(where, embeddings, resolved.embeddingDim);
  const rows = toRows(where, embeddings, total);
  const minimum = method === 'pca' ? 2 : 4;
  if (total < minimum) {
    fail(where, `points for '${method}'`, `>= ${minimum}`, total);
  }
  if (method === 'pca' && rows.dim < dims) {
    fail(where, "embedding dim for 'pca'", `>= dims (${dims})`, rows.dim);
  }

  // Exact t-SNE is O(n^2): its sample never exceeds TSNE_MAX_POINTS.
  const tsneCapped = method === 'tsne' && resolved.maxPoints > TSNE_MAX_POINTS;
  const cap = tsneCapped ? TSNE_MAX_POINTS : resolved.maxPoints;
  const reason = tsneCapped ? `; exact t-SNE caps at ${TSNE_MAX_POINTS}` : '';
  const { indices, note } = sample(total, cap, seed, reason);
  const shown = gather(rows, indices);

  const notes: string[] = [];
  let coords: Float32Array;
  let explainedVariance: Float64Array | null = null;
  if (method === 'pca') {
    const result = pca(shown, dims, seed);
    coords = result.coords;
    explainedVariance = result.explainedVarianceRatio;
    if (!result.converged) {
      const residual = result.residual.toExponential(2);
      notes.push(`PCA eigen-solver stopped at residual ${residual}`);
    }
  } else if (method === 'umap') {
    coords = await runUmap(shown, resolved);
  } else {
    // sklearn's 'auto' rate: large steps make small maps oscillate.
    const learningRate = Math.max(shown.numRows / EXAGGERATION / 4, 50);
    coords = tsne(shown, { ...resolved, seed, learningRate });
  }

  return {
    method,
    dims,
    coords,
    indices,
    labels: labels ? Int32Array.from(indices, (i) => labels[i]) : null,
    cap: {
      total,
      shown: indices.length,
      sampled: indices.length < total,
      note,
    },
    explainedVariance,
    notes,
  };
}
