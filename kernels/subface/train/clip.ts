/**
 * Global L2 gradient norms and clipping by norm, as PyTorch's
 * clip_grad_norm_ does (InsightFace clips the backbone's gradients at 5).
 */
import * as tf from '@tensorflow/tfjs';

/** Added to the norm before dividing, as in PyTorch. */
export const CLIP_EPSILON = 1e-6;

/**
 * The sum of squares of all entries of `grads`, as a scalar tensor (0
 * for an empty list). The caller disposes it.
 */
export function sumOfSquares(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    const parts = grads.map((g) => tf.sum(tf.square(g)));
    return tf.addN(parts) as tf.Scalar;
  });
}

/** The global L2 norm of `grads` (one host read). */
export function globalNorm(grads: readonly tf.Tensor[]): number {
  const squares = sumOfSquares(grads);
  const value = squares.dataSync()[0];
  squares.dispose();
  return Math.sqrt(value);
}

/**
 * The factor that brings a global norm `norm` down to `maxNorm`:
 * maxNorm / (norm + 1e-6) when that is below 1, else 1.
 */
export function clipFactor(norm: number, maxNorm: number): number {
  const factor = maxNorm / (norm + CLIP_EPSILON);
  return factor < 1 ? factor : 1;
}

/**
 * Scales the gradients named in `names` by `factor` in place in the
 * record (the old tensors are disposed, new ones put in their place).
 */
export function scaleGradients(
  grads: Record<string, tf.Tensor>,
  names: readonly string[],
  factor: number,
): void {
  if (factor === 1) return;
  for (const name of names) {
    const old = grads[name];
    grads[name] = tf.mul(old, factor);
    old.dispose();
  }
}

/**
 * Clips `grads` (by name) so that their global norm is at most
 * `maxNorm`; returns the norm before clipping.
 */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  names: readonly string[],
  maxNorm: number,
): number {
  const norm = globalNorm(names.map((name) => grads[name]));
  scaleGradients(grads, names, clipFactor(norm, maxNorm));
  return norm;
}
