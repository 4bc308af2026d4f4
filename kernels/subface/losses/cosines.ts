/**
 * Class scores of a batch: full cosines, or SubFace sub-cosines computed
 * inside a subspace of the embedding dimensions (docs/method.md, "Training
 * step"; the paper's Eq. 5-7 and Algorithm 1 steps 2-3).
 *
 * Class centres arrive class-major, `[numClasses, k]`, from a selector
 * that takes them straight out of the stored variable (Partial FC rows and
 * SubFace dims in one copy). Each centre is normalised on the product
 * side, cos = (e . w) / |w|, which costs [batch, numClasses] work instead
 * of [numClasses, k].
 */
import * as tf from '@tensorflow/tfjs';

import { classScoresT, inverseNorm, safeL2Normalize } from './numerics';
import { SelectKernel, selectIndices } from './select';

/** How the subspace columns are taken out of the class centres. */
export type SelectMode = 'gather' | 'mask';

export const SELECT_MODES: readonly SelectMode[] = ['gather', 'mask'];

/** Rows [rowStart, rowEnd) of the batch use the embedding dims `dims`. */
export interface SubspaceBlock {
  rowStart: number;
  rowEnd: number;
  /** Distinct, sorted dims in [0, embeddingDim). */
  dims: Int32Array;
}

/**
 * Returns the class centres restricted to `dims` (null: all dims),
 * class-major: [numClasses, dims.length].
 */
export type CenterSelector = (dims: Int32Array | null) => tf.Tensor2D;

/**
 * Cosines between rows of `features` and rows of `centers`, each
 * normalised inside the dims they have (zero vectors give cosine 0).
 * @param features [batch, k], unnormalised
 * @param centers [numClasses, k], unnormalised
 * @param squaredNorms [numClasses], |w_j|^2 over the same dims
 * @returns cosTheta [batch, numClasses], in [-1, 1] up to rounding
 */
export function cosineScores(
  features: tf.Tensor2D,
  centers: tf.Tensor2D,
  squaredNorms: tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const embeddings = safeL2Normalize(features);
    const dotsT = classScoresT(embeddings, centers); // [numClasses, batch]
    const column = tf.expandDims(inverseNorm(squaredNorms), 1); // [C, 1]
    // NOTE: not clamped here. Rounding can push |cos| past 1 by ~1e-7,
    // harmless in a logit; the one place that needs [-1, 1], acos of the
    // target, clamps its [batch] input (safeAcos). A clamp of the whole
    // matrix would cost four [batch, numClasses] kernels in the backward.
    return tf.transpose(tf.mul(dotsT, column)) as tf.Tensor2D;
  });
}

/**
 * Scores against class centres that have exactly the features' dims:
 * cosTheta, or plain linear scores w . e when `normalized` is false
 * (softmax; the bias is added by the caller).
 * @param features [batch, k]
 * @param centers [numClasses, k]
 * @returns [batch, numClasses]
 */
export function fullScores(
  features: tf.Tensor2D,
  centers: tf.Tensor2D,
  normalized: boolean,
): tf.Tensor2D {
  return tf.tidy(() => {
    if (!normalized) return tf.transpose(classScoresT(features, centers));
    // A reduction along the last axis: fast on every backend.
    const squaredNorms = tf.sum(tf.square(centers), 1) as tf.Tensor1D;
    return cosineScores(features, centers, squaredNorms);
  });
}

/**
 * Sub-scores for one block of rows and one set of dims (Algorithm 1:
 * x = f[:, dims], omega = w[:, dims], each renormalised in the subspace).
 * 'gather' shrinks the product to k dims; 'mask' zeroes the other dims and
 * keeps the full product, computing |omega_j| from masked partial sums.
 * Either way the class centres' gradient is exactly zero off `dims`.
 * @param rawEmbeddings [rows, embeddingDim]
 * @param dims [k], distinct sorted dims
 * @returns [rows, numClasses]
 */
export function subspaceBlockScores(
  rawEmbeddings: tf.Tensor2D,
  selectCenters: CenterSelector,
  dims: Int32Array,
  normalized: boolean,
  select: SelectMode,
  kernel: SelectKernel = 'auto',
): tf.Tensor2D {
  return tf.tidy(() => {
    const embeddingDim = rawEmbeddings.shape[1];
    if (select === 'gather') {
      if (dims.length === embeddingDim) {
        return fullScores(rawEmbeddings, selectCenters(null), normalized);
      }
      const subFeatures = selectIndices(rawEmbeddings, dims, 1, kernel);
      return fullScores(
        subFeatures, // [rows, k]
        selectCenters(dims), // [numClasses, k]
        normalized,
      );
    }

    const maskValues = new Float32Array(embeddingDim);
    for (const dim of dims) maskValues[dim] = 1;
    const mask = tf.tensor2d(maskValues, [1, embeddingDim]);
    const subFeatures = tf.mul(rawEmbeddings, mask) as tf.Tensor2D;
    const centers = selectCenters(null); // [numClasses, embeddingDim]
    // e_S . w = e_S . w_S because e_S is zero off S.
    if (!normalized) {
      return tf.transpose(classScoresT(subFeatures, centers));
    }
    const maskColumn = tf.reshape(mask, [embeddingDim, 1]);
    // [numClasses, d] @ [d, 1]: |w_S|^2 as a masked partial sum.
    const squaredNorms = tf.reshape(
      tf.matMul(tf.square(centers), maskColumn),
      [-1],
    ) as tf.Tensor1D;
    return cosineScores(subFeatures, centers, squaredNorms);
  });
}

/**
 * Sub-scores for a whole batch split into blocks (one block for the
 * 'exact', 'bernoulli' and 'cyclic' samplers; several for 'partition').
 * @param rawEmbeddings [batch, embeddingDim]
 * @param blocks covering rows 0..batch in order
 * @returns [batch, numClasses]
 */
export function subspaceScores(
  rawEmbeddings: tf.Tensor2D,
  selectCenters: CenterSelector,
  blocks: readonly SubspaceBlock[],
  normalized: boolean,
  select: SelectMode,
  kernel: SelectKernel = 'auto',
): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, embeddingDim] = rawEmbeddings.shape;
    const parts = blocks
      .filter((block) => block.rowEnd > block.rowStart)
      .map((block) => {
        const rows =
          block.rowStart === 0 && block.rowEnd === batch
            ? rawEmbeddings
            : tf.slice(
                rawEmbeddings,
                [block.rowStart, 0],
                [block.rowEnd - block.rowStart, embeddingDim],
              ); // [rows, embeddingDim]
        return subspaceBlockScores(
          rows,
          selectCenters,
          block.dims,
          normalized,
          select,
          kernel,
        );
      });
    return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  });
}
