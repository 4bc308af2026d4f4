/**
 * Convolution geometry shared by the fast gradients: strides, the padding
 * actually applied on each side, and the output size, resolved once from a
 * kernel's attributes by tfjs' own `computeConv2DInfo` so that the forward
 * pass and its gradient can never disagree about where a pixel came from.
 */
import * as tf from '@tensorflow/tfjs';

/** Where the forward window of a 2-D convolution sat on its input. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

type PadAttr = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = 'floor' | 'round' | 'ceil';

/**
 * The geometry of an NHWC convolution, or null where the fast gradients do
 * not apply: channels-first data, dilation other than 1, or a rounding
 * mode other than floor (which moves the output grid).
 */
export function convGeometry(
  xShape: number[],
  filterShape: number[],
  attrs: tf.NamedAttrMap,
  depthwise: boolean,
): ConvGeometry | null {
  const dataFormat = attrs.dataFormat ?? 'NHWC';
  if (dataFormat !== 'NHWC' || xShape.length !== 4) return null;
  if (filterShape.length !== 4) return null;
  const dilations = attrs.dilations ?? 1;
  const dilationList = Array.isArray(dilations) ? dilations : [dilations];
  if (dilationList.some((d) => d !== 1)) return null;
  const rounding = attrs.dimRoundingMode as Rounding | undefined | null;
  if (rounding != null && rounding !== 'floor') return null;

  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as PadAttr,
    undefined,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Inserts `stride - 1` zeros after every row and column of `dy`, turning
 * the strided output grid back into the input's pixel spacing. The result
 * is `[batch, outHeight * strideHeight, outWidth * strideWidth, channels]`:
 * it ends with `stride - 1` zero rows and columns, which callers fold into
 * their padding. A 6-D reshape and pad does this in one copy.
 */
export function insertZeros(
  dy: tf.Tensor4D,
  strideHeight: number,
  strideWidth: number,
): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return dy;
  const [batch, height, width, channels] = dy.shape;
  const spread = tf.reshape(dy, [batch, height, 1, width, 1, channels]);
  const padded = tf.pad(spread, [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]); // [batch, height, strideHeight, width, strideWidth, channels]
  return tf.reshape(padded, [
    batch,
    height * strideHeight,
    width * strideWidth,
    channels,
  ]);
}

/**
 * Pads rows and columns by non-negative amounts and crops where an amount
 * is negative, so that callers can state the window they need exactly.
 */
export function padOrCrop(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { x: tf.Tensor4D; pad: [number, number, number, number] } {
  const [batch, height, width, channels] = x.shape;
  const cropTop = Math.max(0, -top);
  const cropBottom = Math.max(0, -bottom);
  const cropLeft = Math.max(0, -left);
  const cropRight = Math.max(0, -right);
  let cropped = x;
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    cropped = tf.slice(
      x,
      [0, cropTop, cropLeft, 0],
      [
        batch,
        height - cropTop - cropBottom,
        width - cropLeft - cropRight,
        channels,
      ],
    );
  }
  return {
    x: cropped,
    pad: [
      Math.max(0, top),
      Math.max(0, bottom),
      Math.max(0, left),
      Math.max(0, right),
    ],
  };
}

/** The explicit NHWC padding argument of `tf.conv2d`. */
export function explicitPadding(
  pad: [number, number, number, number],
): [[number, number], [number, number], [number, number], [number, number]] {
  const [top, bottom, left, right] = pad;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * Rows of `flat` [taps, rest] in the given order, -1 giving a zero row,
 * as one `[order.length, rest]` tensor. Built from row slices and one
 * concat along axis 0, which copy contiguous blocks: on wasm `gather`
 * and `stridedSlice` are an order of magnitude slower for this, and
 * `reverse` too.
 */
export function pickRows(flat: tf.Tensor2D, order: number[]): tf.Tensor2D {
  const [, rest] = flat.shape;
  const pieces: tf.Tensor2D[] = [];
  let i = 0;
  while (i < order.length) {
    // Take runs of consecutive rows (or of zero rows) in one slice.
    let run = 1;
    const first = order[i];
    const step = first < 0 ? 0 : 1;
    while (
      i + run < order.length &&
      (first < 0 ? order[i + run] < 0 : order[i + run] === first + run * step)
    ) {
      run++;
    }
    pieces.push(
      first < 0
        ? tf.zeros([run, rest])
        : tf.slice(flat, [first, 0], [run, rest]),
    );
    i += run;
  }
  return pieces.length === 1 ? pieces[0] : tf.concat(pieces, 0);
}

/**
 * The filter rotated by 180 degrees in space: on the `[kh * kw, rest]`
 * view, reversing the flat tap index a * kw + b gives
 * (kh-1-a) * kw + (kw-1-b), i.e. both axes flipped.
 */
export function flipSpatially(filter: tf.Tensor4D): tf.Tensor4D {
  const [height, width, inner, outer] = filter.shape;
  const taps = height * width;
  if (taps === 1) return filter;
  const flat = tf.reshape(filter, [taps, inner * outer]); // [kh*kw, ci*co]
  const order = Array.from({ length: taps }, (_, i) => taps - 1 - i);
  return tf.reshape(pickRows(flat as tf.Tensor2D, order), filter.shape);
}
