/**
 * Training-mode batch norm and PReLU with hand-written gradients.
 *
 * tfjs' own gradients of `moments` + `batchNorm` + `prelu` spend most of
 * a wasm training step in `Tile` (the batch-norm gradient tiles the
 * per-channel factors to the full tensor), `where` (PReLU) and
 * broadcasting passes. Here the gradients are written in closed form:
 * two per-channel sums and a handful of element-wise passes each, with
 * every tensor viewed as [samples, channels].
 *
 * Both treat the last axis as channels and everything before it as
 * samples: `[batch, h, w, c]` maps and `[batch, c]` embeddings alike.
 */
import * as tf from '@tensorflow/tfjs';

/** Per-channel sums of `rows` [samples, c], as a [1, c] row. */
function channelSums(rows: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(rows, 0, true);
}

/** `x` viewed as [samples, channels]. */
function asRows(x: tf.Tensor): tf.Tensor2D {
  const channels = x.shape[x.rank - 1];
  return tf.reshape(x, [x.size / channels, channels]);
}

/** Batch statistics used for the moving averages. */
export interface BatchMoments {
  /** [channels] */
  mean: tf.Tensor1D;
  /** Biased variance, [channels]. */
  variance: tf.Tensor1D;
}

/**
 * y = (x - mean) / sqrt(variance + epsilon) * scale + offset, with the
 * batch's own mean and biased variance (computed in two passes for
 * accuracy: the centred values, then their squares).
 *
 * With xc = x - mean, r = 1 / sqrt(variance + epsilon), M samples, the
 * gradient (the usual batch-norm backward, all sums over samples) is
 *   dOffset = sum(dy),  dScale = r * sum(dy * xc),
 *   dx = scale * r * (dy - sum(dy) / M - xc * r^2 * sum(dy * xc) / M).
 *
 * @param x [..., channels]
 * @param scale [channels]
 * @param offset [channels]
 * @param onMoments receives the batch mean and variance (kept only for
 *   the duration of the call) to update moving averages.
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
  onMoments: (moments: BatchMoments) => void,
): tf.Tensor {
  const channels = x.shape[x.rank - 1];
  const samples = x.size / channels;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, gamma, beta] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const rows = asRows(input); // [samples, c]

    const mean = tf.div(channelSums(rows), samples); // [1, c]
    const centered = tf.sub(rows, mean); // [samples, c]
    const squares = tf.square(centered) as tf.Tensor2D;
    const variance = tf.div(channelSums(squares), samples); // [1, c]
    const invStd = tf.rsqrt(tf.add(variance, epsilon)); // [1, c]
    const gain = tf.mul(invStd, gamma); // [1, c]
    const y = tf.add(tf.mul(centered, gain), beta); // [samples, c]
    onMoments({
      mean: tf.reshape(mean, [channels]),
      variance: tf.reshape(variance, [channels]),
    });
    save([centered, invStd, gain]);

    return {
      value: tf.reshape(y, input.shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xc, r, g] = saved as tf.Tensor2D[];
        const dyRows = asRows(dy as tf.Tensor); // [samples, c]
        const sumDy = channelSums(dyRows); // [1, c]
        const sumDyXc = channelSums(tf.mul(dyRows, xc)); // [1, c]

        // dx = dy * g + xc * coefCentered + coefConstant, per channel.
        const coefCentered = tf.mul(
          tf.mul(g, tf.square(r)),
          tf.div(sumDyXc, -samples),
        ); // [1, c]
        const coefConstant = tf.mul(g, tf.div(sumDy, -samples)); // [1, c]
        const dx = tf.add(
          tf.add(tf.mul(dyRows, g), tf.mul(xc, coefCentered)),
          coefConstant,
        ); // [samples, c]
        return [
          tf.reshape(dx, x.shape),
          tf.reshape(tf.mul(sumDyXc, r), [channels]),
          tf.reshape(sumDy, [channels]),
        ];
      },
    };
  });
  return op(x, scale, offset);
}

/**
 * PReLU, y = x for x > 0 and alpha * x otherwise, one alpha per channel.
 * Gradient, with mask = [x > 0]:
 *   dx = dy * mask + alpha * dy * (1 - mask),
 *   dAlpha = sum over samples of dy * (1 - mask) * x.
 *
 * @param x [..., channels]
 * @param alpha [channels]
 */
export function preluTraining(x: tf.Tensor, alpha: tf.Tensor1D): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, slopes] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    save([input, slopes]);
    return {
      value: tf.prelu(input, slopes),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, a] = saved;
        // Split dy by the sign of x; on wasm a mask multiply is much
        // cheaper than `where` or `minimum`.
        const positive = tf.mul(dy as tf.Tensor, tf.step(xs)); // x > 0
        const negative = tf.sub(dy as tf.Tensor, positive); // x <= 0
        const dx = tf.add(positive, tf.mul(negative, a));
        const dAlpha = tf.reshape(
          channelSums(asRows(tf.mul(negative, xs))),
          a.shape,
        );
        return [dx, dAlpha];
      },
    };
  });
  return op(x, alpha);
}
