/**
 * PCA of embeddings: tfjs forms the covariance and the projection (the
 * O(n d^2) work); the d x d eigenproblem is solved in float64 on the CPU,
 * since tfjs has no eigendecomposition and float32 would blur close
 * eigenvalues.
 */
import * as tf from '@tensorflow/tfjs';

import { topEigen } from './eigen';
import { fail } from './errors';
import { Rows } from './matrix';

export interface PcaResult {
  /** Projected coordinates, float32 [n, numComponents]. */
  coords: Float32Array;
  /** Principal axes as rows, float64 [numComponents, dim]. */
  components: Float64Array;
  /** Variance share of each component, float64 [numComponents]. */
  explainedVarianceRatio: Float64Array;
  /** Whether the eigen-solver met its tolerance (else a note says so). */
  converged: boolean;
  residual: number;
}

/**
 * Principal components of the rows, each axis signed so that its largest
 * loading is positive (numpy's SVD sign is arbitrary; compare up to sign).
 * @param rows [n, dim]
 */
export function pca(
  rows: Rows,
  numComponents: number,
  seed: number,
): PcaResult {
  const { numRows, dim } = rows;
  if (numRows < 2 || numComponents > dim) {
    fail('pca', 'data', `>= 2 rows and >= ${numComponents} dims`, {
      numRows,
      dim,
    });
  }

  // Centre in float64 first: float32 loses the small spread of unit
  // embeddings around a large common mean.
  const mean = new Float64Array(dim);
  for (let i = 0; i < numRows; i++) {
    for (let j = 0; j < dim; j++) mean[j] += rows.data[i * dim + j];
  }
  mean.forEach((sum, j) => (mean[j] = sum / numRows));
  const centredData = Float32Array.from(
    rows.data,
    (v, index) => v - mean[index % dim],
  );

  const covariance = tf.tidy(() => {
    const centred = tf.tensor2d(centredData, [numRows, dim]);
    const gram = tf.matMul(centred, centred, true, false); // [dim, dim]
    return tf.div(gram, numRows - 1);
  });
  const matrix = Float64Array.from(covariance.dataSync());
  covariance.dispose();
  let totalVariance = 0;
  for (let j = 0; j < dim; j++) totalVariance += matrix[j * dim + j];

  const eigen = topEigen(matrix, dim, numComponents, seed);
  const components = eigen.vectors;
  for (let c = 0; c < numComponents; c++) {
    const axis = components.subarray(c * dim, (c + 1) * dim);
    let largest = 0;
    for (let j = 1; j < dim; j++) {
      if (Math.abs(axis[j]) > Math.abs(axis[largest])) largest = j;
    }
    if (axis[largest] < 0) axis.forEach((v, j) => (axis[j] = -v));
  }

  const projected = tf.tidy(() => {
    const centred = tf.tensor2d(centredData, [numRows, dim]);
    const axes = tf.tensor2d(Float32Array.from(components), [
      numComponents,
      dim,
    ]);
    return tf.matMul(centred, axes, false, true); // [n, numComponents]
  });
  const coords = Float32Array.from(projected.dataSync());
  projected.dispose();

  return {
    coords,
    components,
    explainedVarianceRatio: eigen.values.map((v) =>
      totalVariance > 0 ? v / totalVariance : NaN,
    ),
    converged: eigen.converged,
    residual: eigen.residual,
  };
}
