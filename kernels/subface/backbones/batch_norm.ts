/**
 * Batch normalisation over every axis but the last (channels), for NHWC
 * feature maps and `[batch, features]` embeddings alike.
 */
import * as tf from '@tensorflow/tfjs';

import { batchNormTraining } from './channel_ops';

export interface BatchNormWeights {
  /** gamma [channels], trainable, starts at 1. */
  scale: tf.Variable<tf.Rank.R1>;
  /** beta [channels], trainable, starts at 0. */
  offset: tf.Variable<tf.Rank.R1>;
  /** Moving mean [channels], starts at 0. */
  movingMean: tf.Variable<tf.Rank.R1>;
  /** Moving (unbiased) variance [channels], starts at 1. */
  movingVariance: tf.Variable<tf.Rank.R1>;
}

export interface BatchNormOptions {
  training: boolean;
  /** Weight of the old value in the moving averages. */
  momentum: number;
  epsilon: number;
}

type MakeVariable = (
  suffix: string,
  value: tf.Tensor1D,
  trainable: boolean,
) => tf.Variable<tf.Rank.R1>;

export function createBatchNorm(
  channels: number,
  makeVariable: MakeVariable,
): BatchNormWeights {
  return {
    scale: makeVariable('scale', tf.ones([channels]), true),
    offset: makeVariable('offset', tf.zeros([channels]), true),
    movingMean: makeVariable('movingMean', tf.zeros([channels]), false),
    movingVariance: makeVariable('movingVariance', tf.ones([channels]), false),
  };
}

/**
 * Normalises `x` per channel. In training mode with the batch's mean and
 * (biased) variance, whose gradients flow (see channel_ops.ts), and
 * updates the moving averages with the unbiased variance as PyTorch does;
 * otherwise with the moving averages.
 *
 * @param x [..., channels]
 */
export function batchNorm(
  x: tf.Tensor,
  weights: BatchNormWeights,
  options: BatchNormOptions,
): tf.Tensor {
  const { scale, offset, movingMean, movingVariance } = weights;
  if (!options.training) {
    return tf.batchNorm(
      x,
      movingMean,
      movingVariance,
      offset,
      scale,
      options.epsilon,
    );
  }

  const count = x.size / x.shape[x.rank - 1];
  const keep = options.momentum;
  return batchNormTraining(x, scale, offset, options.epsilon, (moments) => {
    const unbiased = tf.mul(moments.variance, count / Math.max(count - 1, 1));
    movingMean.assign(
      tf.add(tf.mul(movingMean, keep), tf.mul(moments.mean, 1 - keep)),
    );
    movingVariance.assign(
      tf.add(tf.mul(movingVariance, keep), tf.mul(unbiased, 1 - keep)),
    );
  });
}
