/**
 * Forward-pass pieces shared by iResNet and MobileFaceNet: PyTorch-style
 * explicit padding, BN and PReLU that take the fast training gradients,
 * a dense layer, and the input check of `Backbone.apply`.
 */
import * as tf from '@tensorflow/tfjs';

import { batchNorm, BatchNormWeights } from './batch_norm';
import { preluTraining } from './channel_ops';
import { BackboneError } from './cpu_resnet_config';

/** BN settings shared by every norm of a net. */
export interface NormSettings {
  /** Weight of the old value in the moving averages. */
  momentum: number;
  epsilon: number;
}

/** NHWC padding of `pad` pixels on every side, as PyTorch's `padding`. */
export function explicitPadding(
  pad: number,
): [[0, 0], [number, number], [number, number], [0, 0]] {
  return [
    [0, 0],
    [pad, pad],
    [pad, pad],
    [0, 0],
  ];
}

/** Output side of a conv with symmetric padding, as PyTorch rounds. */
export function convOutputSize(
  size: number,
  kernel: number,
  stride: number,
  pad: number,
): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * Conv without bias; pads (k - 1) / 2 on each side, so 3x3 gets PyTorch's
 * `padding=1` and 1x1 none (TF's 'same' would pad only bottom-right of an
 * even input at stride 2).
 *
 * @param x [batch, h, w, in]
 * @param filter [k, k, in, out]
 * @returns [batch, h', w', out]
 */
export function conv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
): tf.Tensor4D {
  const pad = (filter.shape[0] - 1) / 2;
  return tf.conv2d(x, filter, stride, explicitPadding(pad));
}

/**
 * Depthwise conv (multiplier 1) with explicit symmetric padding `pad`.
 *
 * @param x [batch, h, w, c]
 * @param filter [k, k, c, 1]
 */
export function depthwise(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
  pad: number,
): tf.Tensor4D {
  const padding = pad === 0 ? 'valid' : explicitPadding(pad);
  return tf.depthwiseConv2d(x, filter, stride, padding);
}

/** Batch norm over the last axis; batch statistics when training. */
export function norm<T extends tf.Tensor>(
  x: T,
  weights: BatchNormWeights,
  settings: NormSettings,
  training: boolean,
): T {
  return batchNorm(x, weights, { training, ...settings }) as T;
}

/** PReLU with one slope per channel (fast gradient in training). */
export function prelu<T extends tf.Tensor>(
  x: T,
  alpha: tf.Tensor1D,
  training: boolean,
): T {
  const y = training
    ? preluTraining(x, alpha)
    : tf.prelu(x as tf.Tensor, alpha);
  return y as T;
}

/**
 * x W^T (+ b) for a weight stored [out, in] like PyTorch's Linear.
 *
 * @param x [batch, in]
 * @param weight [out, in]
 * @param bias [out]
 * @returns [batch, out]
 */
export function dense(
  x: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias?: tf.Tensor1D,
): tf.Tensor2D {
  // W x^T rather than x W^T: XNNPACK repacks the right operand on every
  // call (cheap for the small activations), and transpose flags fall off
  // its fast path.
  const xT = tf.transpose(x); // [in, batch]
  const yT: tf.Tensor2D = tf.matMul(weight, xT); // [out, batch]
  const y = tf.transpose(yT); // [batch, out]
  return bias === undefined ? y : (tf.add(y, bias) as tf.Tensor2D);
}

/** Throws unless `images` is float32 [batch, size, size, 3]. */
export function checkImages(
  where: string,
  images: tf.Tensor,
  size: number,
): void {
  const [, height, width, channels] = images.shape;
  if (images.rank !== 4 || height !== size || width !== size) {
    throw new BackboneError(
      `${where}: images must be [batch, ${size}, ${size}, 3], ` +
        `but got [${images.shape.join(', ')}]`,
    );
  }
  if (channels !== 3 || images.dtype !== 'float32') {
    throw new BackboneError(
      `${where}: images must be float32 with 3 channels, but got ` +
        `${images.dtype} with ${channels}`,
    );
  }
}

/** Throws unless `value` is an integer >= 1. */
export function checkPositiveInteger(
  where: string,
  name: string,
  value: number,
): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new BackboneError(
      `${where}: ${name} must be a positive integer, but got ${value}`,
    );
  }
}

/** Throws unless `value` is an integer >= 0. */
export function checkSeed(where: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new BackboneError(
      `${where}: seed must be a non-negative integer, but got ${value}`,
    );
  }
}

/** Throws unless momentum is in [0, 1) and epsilon > 0. */
export function checkNormSettings(
  where: string,
  momentum: number,
  epsilon: number,
): void {
  if (!(momentum >= 0 && momentum < 1)) {
    throw new BackboneError(
      `${where}: batchNormMomentum must be in [0, 1), but got ${momentum}`,
    );
  }
  if (!(epsilon > 0)) {
    throw new BackboneError(
      `${where}: batchNormEpsilon must be > 0, but got ${epsilon}`,
    );
  }
}
