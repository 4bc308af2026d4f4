/**
 * Numerically safe building blocks: L2 normalisation that maps zero to zero,
 * an arccos with a bounded gradient, and a class-score product laid out for
 * fast kernels.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Floor on a vector norm. A zero vector normalises to zero and its
 * gradient is bounded by 1 / NORM_EPSILON instead of 0 / 0.
 */
export const NORM_EPSILON = 1e-6;

/**
 * Floor on 1 - cos^2 in the arccos gradient: d acos(c) / dc = -1 /
 * sqrt(1 - c^2) is infinite at c = +-1 (an embedding that lines up exactly
 * with its class centre would turn the loss NaN); with the floor it is at
 * most 1 / sqrt(ACOS_EPSILON) = 1000.
 */
export const ACOS_EPSILON = 1e-6;

/**
 * 1 / max(sqrt(squaredNorms), NORM_EPSILON), elementwise.
 * @param squaredNorms any shape, >= 0
 */
export function inverseNorm(squaredNorms: tf.Tensor): tf.Tensor {
  // max() routes the gradient to the constant when the norm is tiny, so
  // no infinite rsqrt'(0) ever enters the chain rule.
  return tf.rsqrt(tf.maximum(squaredNorms, NORM_EPSILON * NORM_EPSILON));
}

/**
 * L2-normalises along `axis` (zero vectors stay zero).
 * @param x [batch, dim] (or any rank)
 * @returns x / max(|x|, NORM_EPSILON), same shape
 */
export function safeL2Normalize<T extends tf.Tensor>(x: T, axis = -1): T {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(x), axis, true);
    return tf.mul(x, inverseNorm(squaredNorms)) as T;
  });
}

/**
 * acos(clip(c, -1, 1)) whose gradient is -1 / sqrt(max(1 - c^2, eps)).
 * The forward value is exact (the margin table needs cos(acos(1) + m) =
 * cos(m) to 4 decimals), only the slope is bounded.
 * @param cosTarget any shape, cosines
 */
export function safeAcos(cosTarget: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [c, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const clipped = tf.clipByValue(c, -1, 1);
    save([clipped]);
    return {
      value: tf.acos(clipped),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const sinSquared = tf.sub(1, tf.square(saved[0]));
        const slope = tf.rsqrt(tf.maximum(sinSquared, ACOS_EPSILON));
        return [tf.neg(tf.mul(dy, slope))];
      },
    };
  });
  return op(cosTarget);
}

/**
 * Scores of every class centre against every row of `features`, class by
 * row: centers @ features^T, arranged for XNNPACK on wasm.
 * Porting note: XNNPACK re-packs the right-hand operand of each product
 * whenever it is a new tensor (every step, for centres that train), and
 * packing costs several times a plain copy; a transpose flag leaves
 * XNNPACK altogether (~10x slower when measured). So every product
 * here puts the big [numClasses, k] operand on the left and a small or
 * [numClasses, batch] one on the right. The result stays class-major so
 * that per-class scalings reduce along the last axis in the backward pass
 * (a reduction along axis 0 is slow on wasm).
 * @param features [batch, k]
 * @param centers [numClasses, k], class-major
 * @returns [numClasses, batch]
 */
export function classScoresT(
  features: tf.Tensor2D,
  centers: tf.Tensor2D,
): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [rows, classes, save] = args as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.GradSaveFunc,
    ];
    save([rows, classes]);
    return {
      // [numClasses, k] @ [k, batch] -> [numClasses, batch]
      value: tf.matMul(classes, tf.transpose(rows)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedRows, savedClasses] = saved as tf.Tensor2D[];
        const [batch, k] = savedRows.shape;
        const dyT = dy as tf.Tensor2D; // [numClasses, batch]
        // [numClasses, batch] @ [batch, k] -> [numClasses, k]
        const dClasses = tf.matMul(dyT, savedRows);
        // dRows = dy^T @ centers would pack the [numClasses, k] centres;
        // when k > batch, packing dyT and copying the centres is cheaper.
        const dRows =
          k > batch
            ? tf.transpose(tf.matMul(tf.transpose(savedClasses), dyT))
            : tf.matMul(tf.transpose(dyT), savedClasses); // [batch, k]
        return [dRows, dClasses];
      },
    };
  });
  return op(features, centers) as tf.Tensor2D;
}
