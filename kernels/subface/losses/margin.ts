/**
 * The combined margin on the target cosine, and the scaled logits.
 *
 * phi(theta) = cos(m1 * theta + m2) - m3 where that is monotone in theta,
 * with a monotone extension past the point where m1 * theta + m2 = pi:
 * - m1 = 1 (ArcFace and ArcFace + CosFace): InsightFace's legacy threshold
 *   fallback. When cos(theta) <= th = cos(pi - m2), phi = cos(theta) - mm -
 *   m3 with mm = sin(pi - m2) * m2. With `easyMargin`, plain cos(theta)
 *   wherever cos(theta) <= 0.
 * - m1 != 1 (SphereFace-like): SphereFace's psi, generalised to a real m1
 *   and an offset m2. With u = m1 * theta + m2 and k = floor(u / pi),
 *   phi = (-1)^k cos(u) - 2k - m3, continuous and decreasing on [0, pi].
 *
 * Porting note: InsightFace's current ArcFace runs the margin under
 * no_grad, has no fallback, and silently drops m2 when m3 > 0. Here the
 * margin is differentiated, the fallback runs, and m2 + m3 is the true
 * combined formula.
 */
import * as tf from '@tensorflow/tfjs';

import { ResolvedMargin } from './margin_config';
import { safeAcos } from './numerics';

/** Which piece of the target-logit function a margin uses. */
export type MarginBranch = 'none' | 'cosine' | 'threshold' | 'easy' | 'sphere';

/**
 * mask * a + (1 - mask) * b. Used instead of tf.where because where's
 * gradient reaches its boolean condition, and comparisons have no gradient
 * in tfjs ("gradient function not found", tfjs#2587); tf.step's gradient
 * is zero. Both branches are finite everywhere, so the masked one
 * contributes 0, never 0 * inf.
 */
function blend(mask: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.add(tf.mul(mask, a), tf.mul(tf.sub(1, mask), b)) as tf.Tensor1D;
}

/** The formula `targetLogit` applies for `margin`. */
export function marginBranch(margin: ResolvedMargin): MarginBranch {
  const { m1, m2, m3, normalized, easyMargin } = margin;
  if (!normalized || (m1 === 1 && m2 === 0 && m3 === 0)) return 'none';
  if (m1 !== 1) return 'sphere';
  if (m2 === 0) return 'cosine';
  return easyMargin ? 'easy' : 'threshold';
}

/**
 * The target cosine after the margin, before the scale.
 * @param cosTarget [batch], float32 in [-1, 1]
 * @returns phi [batch]
 */
export function targetLogit(
  cosTarget: tf.Tensor1D,
  margin: ResolvedMargin,
): tf.Tensor1D {
  const { m1, m2, m3 } = margin;
  return tf.tidy((): tf.Tensor1D => {
    const branch = marginBranch(margin);
    if (branch === 'none') return tf.clone(cosTarget);
    // CosFace needs no angle: stay exact and skip acos.
    if (branch === 'cosine') return tf.sub(cosTarget, m3) as tf.Tensor1D;

    const theta = safeAcos(cosTarget);
    if (branch === 'sphere') {
      const angle = tf.add(tf.mul(theta, m1), m2);
      // k is piecewise constant: floor's gradient is zero.
      const k = tf.floor(tf.div(angle, Math.PI));
      // (-1)^k from floor alone (wasm has no FloorMod kernel).
      const parity = tf.sub(k, tf.mul(2, tf.floor(tf.div(k, 2))));
      const sign = tf.sub(1, tf.mul(2, parity));
      const psi = tf.sub(tf.mul(sign, tf.cos(angle)), tf.mul(2, k));
      return tf.sub(psi, m3) as tf.Tensor1D;
    }

    const withMargin = tf.sub(tf.cos(tf.add(theta, m2)), m3);
    if (branch === 'easy') {
      return blend(tf.step(cosTarget), withMargin, cosTarget);
    }
    // Legacy threshold: beyond theta = pi - m2, cos(theta + m2) would rise
    // again and the "margin" would help the target (docs/method.md,
    // "Margin"; ArcFace's legacy `th` / `mm` in InsightFace `losses.py`).
    const threshold = Math.cos(Math.PI - m2);
    const fallbackShift = Math.sin(Math.PI - m2) * m2 + m3;
    const fallback = tf.sub(cosTarget, fallbackShift);
    return blend(tf.step(tf.sub(cosTarget, threshold)), withMargin, fallback);
  });
}

/**
 * Logits for margin softmax: s * cos for non-targets, s * phi for the
 * target. Rows whose one-hot is all zero (label -1) get no margin.
 * @param cosTheta [batch, numClasses], clamped cosines
 * @param oneHot [batch, numClasses], float32 0/1
 * @returns logits [batch, numClasses]
 */
export function marginLogits(
  cosTheta: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  margin: ResolvedMargin,
): tf.Tensor2D {
  return tf.tidy(() => {
    if (marginBranch(margin) === 'none') {
      return tf.mul(cosTheta, margin.scale) as tf.Tensor2D;
    }
    // The margin runs on the [batch] target vector only, so no acos of a
    // non-target +-1 can meet a 0 mask (0 * inf = NaN in the gradient).
    const cosTarget = tf.sum(tf.mul(cosTheta, oneHot), 1) as tf.Tensor1D;
    const shift = tf.sub(targetLogit(cosTarget, margin), cosTarget);
    const withMargin = tf.add(
      cosTheta,
      tf.mul(oneHot, tf.expandDims(shift, 1)),
    );
    return tf.mul(withMargin, margin.scale) as tf.Tensor2D;
  });
}
