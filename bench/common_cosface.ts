/**
 * A minimal CosFace head for benchmarks only (the library's margin heads
 * live in kernels/subface/losses). It computes what
 * bench/torch_train_step.py computes, op for op.
 */
import * as tf from '@tensorflow/tfjs';

export interface BenchCosFace {
  /** classCenters [numClasses, embeddingDim], trainable. */
  classCenters: tf.Variable<tf.Rank.R2>;
  numClasses: number;
  scale: number;
  margin: number;
}

export function createBenchCosFace(
  numClasses: number,
  embeddingDim: number,
  seed: number,
): BenchCosFace {
  const init = tf.randomNormal<tf.Rank.R2>(
    [numClasses, embeddingDim],
    0,
    0.01,
    'float32',
    seed,
  );
  const classCenters = tf.variable(init, true, 'bench/classCenters');
  init.dispose();
  return { classCenters, numClasses, scale: 64, margin: 0.35 };
}

/** Rows scaled to unit length; eps keeps a zero row finite. */
function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  const squared = tf.sum(tf.square(x), 1, true); // [rows, 1]
  return tf.mul(x, tf.rsqrt(tf.add(squared, 1e-12)));
}

/**
 * Mean cross-entropy of s * (cosTheta - m * onehot) (CosFace, Eq. 4).
 *
 * @param rawEmbeddings [batch, embeddingDim]
 * @param labels int32 [batch]
 */
export function benchCosFaceLoss(
  head: BenchCosFace,
  rawEmbeddings: tf.Tensor2D,
  labels: tf.Tensor1D,
): tf.Scalar {
  const embeddings = normalizeRows(rawEmbeddings);
  const centers = normalizeRows(head.classCenters);
  // centers @ embeddings^T, then one small transpose: matMul's transpose
  // flags are slow on wasm, and XNNPACK repacks the right operand (here
  // the small one) on every call.
  const embeddingsT = tf.transpose(embeddings); // [embeddingDim, batch]
  const cosThetaT = tf.matMul(centers, embeddingsT); // [numClasses, batch]
  // [batch, numClasses]
  const cosTheta = tf.clipByValue(tf.transpose(cosThetaT), -1, 1);
  const onehot = tf.oneHot(labels, head.numClasses);
  const logits = tf.mul(
    tf.sub(cosTheta, tf.mul(onehot, head.margin)),
    head.scale,
  );
  return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
}
