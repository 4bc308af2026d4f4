/**
 * Nearest neighbours of the projected points in the embedding space
 * (cosine similarity): the projection payload's `neighbors`. A 2-D map
 * tears some neighbourhoods apart and glues others; these lists say
 * which faces the model itself finds closest.
 */
import * as tf from '@tensorflow/tfjs';

import { ProjectionNeighbors } from '../display/contract';
import { Rows } from '../eval/matrix';

/** Neighbours per point (what the renderer lists on a click). */
export const DEFAULT_NEIGHBORS = 8;

/**
 * Points of the largest view searched. The search is O(shown^2 dim):
 * 2000 points of 512 dims take seconds on the wasm and cpu backends,
 * and their lists already fill much of a notebook output.
 */
export const MAX_NEIGHBOR_POINTS = 2000;

/** Query rows per similarity block, bounding memory to [512, shown]. */
const BLOCK_ROWS = 512;

/** Unit-length float32 copies of rows `indices` of `rows`. */
function unitRows(rows: Rows, indices: ArrayLike<number>): Float32Array {
  const { data, dim } = rows;
  const out = new Float32Array(indices.length * dim);
  for (let p = 0; p < indices.length; p++) {
    const offset = indices[p] * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[offset + j] ** 2;
    // A zero row stays zero: cosine 0 with every other point.
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let j = 0; j < dim; j++) {
      out[p * dim + j] = data[offset + j] * scale;
    }
  }
  return out;
}

/**
 * The `k` most cosine-similar other points of each point `indices`
 * picks from `rows`, closest first, as positions in `indices`; null
 * when fewer than two points leave nobody to list.
 * @param rows the embeddings, float64 [numRows, dim]
 * @param indices rows shown, [shown]
 * @param k neighbours per point, clipped to shown - 1
 */
export function cosineNeighbors(
  rows: Rows,
  indices: ArrayLike<number>,
  k = DEFAULT_NEIGHBORS,
): ProjectionNeighbors | null {
  const shown = indices.length;
  const numNeighbors = Math.min(k, shown - 1);
  if (numNeighbors < 1) return null;

  const { dim } = rows;
  const lists: number[][] = [];
  const embeddings = tf.tensor2d(unitRows(rows, indices), [shown, dim]);
  try {
    // One more than asked: the point itself is usually its own best.
    const take = numNeighbors + 1;
    for (let start = 0; start < shown; start += BLOCK_ROWS) {
      const size = Math.min(BLOCK_ROWS, shown - start);
      const best = tf.tidy(() => {
        const queries = embeddings.slice([start, 0], [size, dim]);
        // [size, shown]: cosines, the rows being unit length.
        const similarities = tf.matMul(queries, embeddings, false, true);
        return tf.topk(similarities, take).indices; // [size, take]
      });
      const order = best.dataSync();
      best.dispose();
      for (let q = 0; q < size; q++) {
        const point = start + q;
        const row = Array.from(order.subarray(q * take, (q + 1) * take));
        // Ties may rank an identical point first: drop the point itself
        // wherever it is, else the last (the one extra).
        const others = row.filter((other) => other !== point);
        lists.push(others.slice(0, numNeighbors));
      }
    }
  } finally {
    embeddings.dispose();
  }
  return { k: numNeighbors, indices: lists };
}
