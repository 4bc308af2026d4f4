/**
 * Gradients of a depthwise convolution for wasm, where neither
 * `DepthwiseConv2dNativeBackpropInput` nor `...BackpropFilter` is
 * registered.
 *
 * Forward (NHWC, filter `[kh, kw, c, m]`, channel multiplier m):
 *   y[n, i, j, c*m + q] = sum_{a, b} x[n, i*s + a - p, j*s + b - p, c]
 *                                    * f[a, b, c, q]
 */
import * as tf from '@tensorflow/tfjs';

import {
  ConvGeometry,
  explicitPadding,
  flipSpatially,
  insertZeros,
  padOrCrop,
} from './geometry';

/**
 * dL/dx: as for a full convolution (conv2d_input.ts), a stride-1 depthwise
 * correlation of the zero-spread dy with the rotated filter; with a
 * channel multiplier the m outputs of each input channel are then summed.
 *
 * @param dy [batch, outHeight, outWidth, channels * multiplier]
 * @param filter [kh, kw, channels, multiplier]
 * @returns [batch, inHeight, inWidth, channels]
 */
export function depthwiseInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: ConvGeometry,
): tf.Tensor4D {
  const g = geometry;
  const [kh, kw, channels, multiplier] = filter.shape;
  // [kh, kw, c * m, 1]: channel c*m + q, the layout of dy's channels.
  const rotated: tf.Tensor4D = tf.reshape(flipSpatially(filter), [
    kh,
    kw,
    channels * multiplier,
    1,
  ]);
  const spread = insertZeros(dy, g.strideHeight, g.strideWidth);

  const top = g.filterHeight - 1 - g.padTop;
  const bottom = g.inHeight - g.outHeight * g.strideHeight + g.padTop;
  const left = g.filterWidth - 1 - g.padLeft;
  const right = g.inWidth - g.outWidth * g.strideWidth + g.padLeft;
  const window = padOrCrop(spread, top, bottom, left, right);
  const perOutput = tf.depthwiseConv2d(
    window.x,
    rotated,
    1,
    explicitPadding(window.pad),
  ); // [batch, inHeight, inWidth, c * m]
  if (multiplier === 1) return perOutput;

  const [batch, height, width] = perOutput.shape;
  const split = tf.reshape(perOutput, [
    batch,
    height,
    width,
    channels,
    multiplier,
  ]);
  return tf.sum(split, 4);
}

/**
 * dL/df, one filter tap at a time: tap (a, b) sees the input sampled on
 * the output grid, x[n, i*s + a - p, j*s + b - p, c], so its gradient is
 * that strided window times dy, summed over batch and pixels. kh * kw
 * element-wise passes over dy beat any formulation that pays for the
 * off-diagonal channel pairs of a full convolution.
 *
 * @param x [batch, inHeight, inWidth, channels]
 * @param dy [batch, outHeight, outWidth, channels * multiplier]
 * @returns [kh, kw, channels, multiplier]
 */
export function depthwiseFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  geometry: ConvGeometry,
): tf.Tensor4D {
  const g = geometry;
  const [kh, kw, channels, multiplier] = filterShape;
  const [batch, outHeight, outWidth] = dy.shape;
  const spanHeight = (outHeight - 1) * g.strideHeight + 1;
  const spanWidth = (outWidth - 1) * g.strideWidth + 1;

  const bottom = kh - 1 + spanHeight - g.inHeight - g.padTop;
  const right = kw - 1 + spanWidth - g.inWidth - g.padLeft;
  const window = padOrCrop(x, g.padTop, bottom, g.padLeft, right);
  const padded = tf.pad(window.x, explicitPadding(window.pad));
  // [batch, ho, wo, c, m]
  const dy5 = tf.reshape(dy, [
    batch,
    outHeight,
    outWidth,
    channels,
    multiplier,
  ]);

  const taps: tf.Tensor[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const sampled = tf.stridedSlice(
        padded,
        [0, a, b, 0],
        [batch, a + spanHeight, b + spanWidth, channels],
        [1, g.strideHeight, g.strideWidth, 1],
      ); // [batch, ho, wo, c]
      const sampled5 = tf.expandDims(sampled, 4); // [batch, ho, wo, c, 1]
      taps.push(tf.sum(tf.mul(sampled5, dy5), [0, 1, 2])); // [c, m]
    }
  }
  const stacked = tf.stack(taps); // [kh * kw, c, m]
  return tf.reshape(stacked, filterShape);
}
