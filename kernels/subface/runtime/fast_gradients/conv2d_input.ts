/**
 * Input gradient of a 2-D convolution written as forward convolutions,
 * which XNNPACK runs fast on wasm; tfjs' own gradient calls
 * `Conv2DBackpropInput`, which is about 10x slower there.
 *
 * Forward (NHWC, filter `[kh, kw, ci, co]`, stride s, top/left padding p):
 *   y[n, i, j, o] = sum_{a, b, c} x[n, i*s + a - p, j*s + b - p, c]
 *                                 * f[a, b, c, o]
 */
import * as tf from '@tensorflow/tfjs';

import { ConvGeometry, explicitPadding, padOrCrop, pickRows } from './geometry';

/**
 * dL/dx: every output pixel i sends dy[i] * f[a] back to input row
 * i*s + a - p, so input row h receives dy[i] f[a] for all h + p = i*s + a
 * (and likewise along columns).
 *
 * Stride 1: a plain correlation of dy with the filter rotated by 180
 * degrees and its in/out channels swapped, padded by k - 1 - p on top.
 *
 * Stride s > 1: the rows h with the same h mod s (a "phase") only ever
 * meet the taps a = r, r + s, r + 2s, ... with r = (h + p) mod s, so each
 * phase is a stride-1 correlation of dy itself with that sub-filter.
 * One convolution per row phase computes all column phases as blocks of
 * output channels, and the row phases interleave with a stack. For a 3x3
 * filter at stride 2 this costs 12 products per input pixel where the
 * gradient needs 9; spreading dy with zeros and correlating with the
 * whole filter would cost 36.
 *
 * @param dy [batch, outHeight, outWidth, outChannels]
 * @param filter [kh, kw, inChannels, outChannels]
 * @returns [batch, inHeight, inWidth, inChannels]
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: ConvGeometry,
): tf.Tensor4D {
  const g = geometry;
  const rows = phases(
    g.inHeight,
    g.outHeight,
    g.filterHeight,
    g.strideHeight,
    g.padTop,
  );
  const columns = phases(
    g.inWidth,
    g.outWidth,
    g.filterWidth,
    g.strideWidth,
    g.padLeft,
  );
  const [batch] = dy.shape;
  const inChannels = filter.shape[2];
  const rowSize = rows[0].size;
  const columnSize = columns[0].size;

  // One convolution per row phase computes all column phases at once, as
  // blocks of output channels: [batch, u, v, (column phase, ci)] is
  // already dx's row layout [batch, u, v * sw, ci], so only the row
  // phases need interleaving, which a stack on axis 2 does cheaply.
  const perRow = rows.map((row) => {
    const width = columnSize * g.strideWidth * inChannels;
    if (row.taps === 0) return tf.zeros([batch, rowSize, width]);
    const phase = rowPhaseFilter(
      filter,
      row,
      columns,
      g.strideHeight,
      g.strideWidth,
      g.outWidth,
    );
    const window = padOrCrop(
      dy,
      row.before,
      row.after,
      phase.before,
      phase.after,
    );
    // [batch, u, v, sw * ci]
    const out = tf.conv2d(
      window.x,
      phase.filter,
      1,
      explicitPadding(window.pad),
    );
    return tf.reshape(out, [batch, rowSize, width]);
  });
  const stacked = perRow.length === 1 ? perRow[0] : tf.stack(perRow, 2);
  const full: tf.Tensor4D = tf.reshape(stacked, [
    batch,
    rowSize * g.strideHeight,
    columnSize * g.strideWidth,
    inChannels,
  ]);
  if (full.shape[1] === g.inHeight && full.shape[2] === g.inWidth) {
    return full;
  }
  return tf.slice(
    full,
    [0, 0, 0, 0],
    [batch, g.inHeight, g.inWidth, inChannels],
  );
}

/** How one phase of input rows (or columns) reads dy and the filter. */
interface Phase {
  /** Taps of the filter this phase meets (0 when the kernel < stride). */
  taps: number;
  /** Index in the rotated filter of its first tap; then every stride. */
  start: number;
  /** Rows of dy to pad (negative: crop) before and after. */
  before: number;
  after: number;
  /** Rows computed: ceil(inSize / stride), the same for every phase. */
  size: number;
}

/**
 * Phase q holds input rows h = u*s + q. With r = (q + p) mod s and
 * carry = floor((q + p) / s), tap a = r + s*t meets dy row u + carry - t,
 * for t < taps = ceil((k - r) / s); read as a correlation over
 * t' = taps - 1 - t, the rotated filter supplies those taps from index
 * k - 1 - r - s*(taps - 1), every s, and dy is padded by taps - 1 - carry
 * before. Stride 1 is the single phase of the plain rotated correlation.
 */
function phases(
  inSize: number,
  outSize: number,
  kernel: number,
  stride: number,
  padBefore: number,
): Phase[] {
  const size = Math.ceil(inSize / stride);
  return Array.from({ length: stride }, (_, q) => {
    const r = (q + padBefore) % stride;
    const carry = Math.floor((q + padBefore) / stride);
    const taps = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
    const before = taps - 1 - carry;
    return {
      taps,
      start: kernel - 1 - r - stride * (taps - 1),
      before,
      after: size - outSize - before + taps - 1,
      size,
    };
  });
}

/**
 * The filter of one row phase for all column phases side by side:
 * `[row.taps, width, co, sw * ci]`, rotated by 180 degrees and with in
 * and out channels swapped. Column phases read different dy columns, so
 * each one's taps sit at its own offset in a window `width` taps wide that
 * covers them all, zeros elsewhere. The taps are picked as rows of the
 * `[kh * kw, ci * co]` view, then one transpose swaps the channels.
 */
function rowPhaseFilter(
  filter: tf.Tensor4D,
  row: Phase,
  columns: Phase[],
  strideHeight: number,
  strideWidth: number,
  outWidth: number,
): { filter: tf.Tensor4D; before: number; after: number } {
  const [kh, kw, inChannels, outChannels] = filter.shape;
  const used = columns.filter((c) => c.taps > 0);
  // Column phase c reads dy columns v - c.before .. v - c.before + taps - 1.
  const first = Math.min(...used.map((c) => -c.before));
  const last = Math.max(...used.map((c) => c.taps - 1 - c.before));
  const width = last - first + 1;

  // Tap t of a phase is index start + s*t of the rotated filter, i.e.
  // index k - 1 - start - s*t of the filter itself.
  const order: number[] = [];
  for (let t = 0; t < row.taps; t++) {
    const a = kh - 1 - (row.start + strideHeight * t);
    for (let w = 0; w < width; w++) {
      for (const column of columns) {
        const u = w - (-column.before - first);
        const b = kw - 1 - (column.start + strideWidth * u);
        const inside = column.taps > 0 && u >= 0 && u < column.taps;
        order.push(inside ? a * kw + b : -1);
      }
    }
  }
  const flat = tf.reshape(filter, [kh * kw, inChannels * outChannels]);
  const picked = tf.reshape(pickRows(flat as tf.Tensor2D, order), [
    row.taps,
    width,
    columns.length,
    inChannels,
    outChannels,
  ]);
  const swapped = tf.transpose(picked, [0, 1, 4, 2, 3]); // [t, w, co, sw, ci]
  const before = -first;
  return {
    filter: tf.reshape(swapped, [
      row.taps,
      width,
      outChannels,
      columns.length * inChannels,
    ]),
    before,
    // The convolution's output is exactly `size` columns wide.
    after: columns[0].size - outWidth - before + width - 1,
  };
}
