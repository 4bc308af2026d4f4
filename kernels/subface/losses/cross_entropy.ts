/**
 * Softmax cross-entropy from logits, with rows that have no positive.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * log(sum(exp(logits), 1)) with the max subtracted first, and a gradient
 * that is just dy * softmax.
 * Porting note: tf.logSumExp differentiates through its max(), which costs
 * a broadcast Equal over [batch, numClasses] that is slower on wasm than
 * the whole product of the head; the max cancels mathematically, so the
 * gradient here skips it and reuses the forward softmax.
 * @param logits [batch, numClasses]
 * @returns [batch]
 */
export function logSumExpRows(logits: tf.Tensor2D): tf.Tensor1D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const rowMax = tf.max(x, 1, true); // [batch, 1]
    const shifted = tf.exp(tf.sub(x, rowMax)); // [batch, numClasses]
    const total = tf.sum(shifted, 1, true); // [batch, 1]
    const probabilities = tf.div(shifted, total);
    save([probabilities]);
    return {
      value: tf.reshape(tf.add(rowMax, tf.log(total)), [x.shape[0]]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.mul(tf.expandDims(dy, 1), saved[0]),
      ],
    };
  });
  return op(logits) as tf.Tensor1D;
}

/**
 * Mean over rows with a positive of logSumExp(logits) - logits[target].
 * Never the log of a softmax: at s = 64 exp(logits) overflows float16 and
 * comes close in float32 (s * cos reaches 64; exp overflows float32 from
 * s >= 89), and log(softmax) loses the tail.
 *
 * Porting note: rows whose one-hot is all zero (label -1, class held by
 * another shard) are left out of the mean; InsightFace instead all-reduces
 * the softmax across GPUs so every row has its positive somewhere. With no
 * positive row at all the loss is 0 with zero gradient.
 * @param logits [batch, numClasses]
 * @param oneHot [batch, numClasses], float32 0/1, rows all 0 for label -1
 * @returns scalar loss
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  oneHot: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const logNormalizer = logSumExpRows(logits); // [batch]
    const targetLogits = tf.sum(tf.mul(logits, oneHot), 1); // [batch]
    const hasPositive = tf.sum(oneHot, 1); // [batch], 0 or 1
    const perRow = tf.mul(tf.sub(logNormalizer, targetLogits), hasPositive);
    const numPositive = tf.maximum(tf.sum(hasPositive), 1);
    return tf.div(tf.sum(perRow), numPositive) as tf.Scalar;
  });
}
