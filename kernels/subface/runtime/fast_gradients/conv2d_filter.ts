/**
 * Filter gradient of a 2-D convolution written as a forward convolution,
 * which XNNPACK runs fast on wasm; tfjs' own gradient calls
 * `Conv2DBackpropFilter`, which wasm does not register at all.
 *
 * Forward (NHWC, filter `[kh, kw, ci, co]`, stride s, top/left padding p):
 *   y[n, i, j, o] = sum_{a, b, c} x[n, i*s + a - p, j*s + b - p, c]
 *                                 * f[a, b, c, o]
 */
import * as tf from '@tensorflow/tfjs';

import { ConvGeometry, explicitPadding, padOrCrop } from './geometry';

/**
 * dL/df by the dilated-convolution identity:
 *   df[a, b, c, o] = sum_{i, j, n} x[c, a + i*s, b + j*s, n] * dy[i, j, n, o]
 * with x viewed as `[ci, height, width, batch]` and dy as the filter
 * `[outHeight, outWidth, batch, co]`, i.e. a stride-1 convolution with
 * dilation s whose output is exactly `[ci, kh, kw, co]`.
 *
 * @param x [batch, inHeight, inWidth, inChannels]
 * @param dy [batch, outHeight, outWidth, outChannels]
 * @returns [kh, kw, inChannels, outChannels]
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  geometry: ConvGeometry,
): tf.Tensor4D {
  if (
    geometry.filterHeight * geometry.filterWidth === 1 &&
    geometry.strideHeight * geometry.strideWidth > 1 &&
    geometry.padTop === 0 &&
    geometry.padLeft === 0
  ) {
    // A strided 1x1 filter only ever sees the pixels on the output grid:
    // sample them first and solve the cheaper stride-1 problem.
    return conv2dFilterGradient(subsample(x, geometry), dy, {
      ...geometry,
      inHeight: geometry.outHeight,
      inWidth: geometry.outWidth,
      strideHeight: 1,
      strideWidth: 1,
    });
  }
  const g = geometry;
  const xT = swapBatchAndChannels(x); // [ci, height, width, batch]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [ho, wo, batch, co]

  // Pad the bottom/right just enough for a kh x kw output; rows the
  // forward pass never read are cropped instead.
  const bottom =
    g.filterHeight + (g.outHeight - 1) * g.strideHeight - g.inHeight;
  const right = g.filterWidth + (g.outWidth - 1) * g.strideWidth - g.inWidth;
  const window = padOrCrop(
    xT,
    g.padTop,
    bottom - g.padTop,
    g.padLeft,
    right - g.padLeft,
  );
  const perChannel = tf.conv2d(
    window.x,
    dyT,
    1,
    explicitPadding(window.pad),
    'NHWC',
    [g.strideHeight, g.strideWidth],
  ); // [ci, kh, kw, co]
  return tf.transpose(perChannel, [1, 2, 0, 3]); // [kh, kw, ci, co]
}

/**
 * x[n, i*sh, j*sw, c] for every output pixel (i, j): x padded or cropped
 * to exactly [outHeight * sh, outWidth * sw], then one slice of a 4-D
 * view that copies contiguous channel blocks (`stridedSlice` is slower).
 *
 * @returns [batch, outHeight, outWidth, channels]
 */
function subsample(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const [batch, , , channels] = x.shape;
  const sh = g.strideHeight;
  const sw = g.strideWidth;
  const window = padOrCrop(
    x,
    0,
    g.outHeight * sh - g.inHeight,
    0,
    g.outWidth * sw - g.inWidth,
  );
  const grid = tf.pad(window.x, explicitPadding(window.pad));
  // [batch * outHeight, sh, outWidth, sw * c]: a 4-D slice stays on wasm's
  // fast path (6-D slices are copied element by element).
  const blocks = tf.reshape(grid, [
    batch * g.outHeight,
    sh,
    g.outWidth,
    sw * channels,
  ]);
  const picked = tf.slice(
    blocks,
    [0, 0, 0, 0],
    [batch * g.outHeight, 1, g.outWidth, channels],
  );
  return tf.reshape(picked, [batch, g.outHeight, g.outWidth, channels]);
}

/**
 * [batch, h, w, c] -> [c, h, w, batch]. In two steps, a 2-D transpose
 * [batch, h*w*c] -> [h*w*c, batch] and then one that moves whole
 * batch-long rows, [h*w, c, batch] -> [c, h*w, batch]: on wasm this is
 * about twice as fast as the single 4-D transpose, which gathers every
 * element with a stride.
 */
function swapBatchAndChannels(x: tf.Tensor4D): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const pixels = height * width;
  const flat = tf.reshape(x, [batch, pixels * channels]);
  const pixelMajor = tf.reshape(tf.transpose(flat), [pixels, channels, batch]);
  const channelMajor = tf.transpose(pixelMajor, [1, 0, 2]); // [c, h*w, batch]
  return tf.reshape(channelMajor, [channels, height, width, batch]);
}
