/**
 * Selecting distinct rows or columns of a matrix, with a cheap gradient.
 *
 * tfjs' own gather gradient is UnsortedSegmentSum, which the wasm backend
 * lacks and the cpu backend runs extremely slowly. Because the selected
 * indices here are distinct, the gradient is a pure scatter: every source
 * row (or column) receives the gradient of at most one selected one. Two
 * kernels implement it:
 * - 'gather': forward tf.gather; backward appends one zero row to dy and
 *   gathers it by the inverse index map (unselected -> the zero row).
 *   Runs on every backend.
 * - 'host': copies in host memory, in place in the wasm heap
 *   (host_memory.ts). On the cpu and wasm backends the tensor data already
 *   lives there, and this measured ~7x faster than their gather for
 *   [512, 10000] (selecting and scattering the columns is what keeps the
 *   subspace from paying on wasm; docs/benchmarks.md, "head").
 */
import * as tf from '@tensorflow/tfjs';

import { fail } from './errors';
import { fillNewTensor, HOST_BACKENDS, readHost } from './host_memory';

export type SelectKernel = 'auto' | 'host' | 'gather';

/**
 * Maps each source position to its place in `index`, or index.length.
 * @param index [k], distinct values in [0, size)
 * @returns [size], int32
 */
export function inverseIndex(index: Int32Array, size: number): Int32Array {
  const inverse = new Int32Array(size).fill(index.length);
  for (let i = 0; i < index.length; i++) inverse[index[i]] = i;
  return inverse;
}

function checkIndex(index: Int32Array, size: number): void {
  const seen = new Uint8Array(size);
  for (let i = 0; i < index.length; i++) {
    const value = index[i];
    if (!(value >= 0 && value < size) || seen[value]) {
      fail(
        'selectIndices',
        'index',
        `distinct integers in [0, ${size})`,
        Array.from(index),
      );
    }
    seen[value] = 1;
  }
}

/** Writes x[index[i], :] (axis 0) or x[:, index[i]] (axis 1) to out. */
function hostSelect(
  data: Float32Array,
  shape: [number, number],
  index: Int32Array,
  axis: 0 | 1,
  out: Float32Array,
): void {
  const [rows, cols] = shape;
  const k = index.length;
  if (axis === 0) {
    for (let i = 0; i < k; i++) {
      const start = index[i] * cols;
      out.set(data.subarray(start, start + cols), i * cols);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < k; j++) out[r * k + j] = data[base + index[j]];
  }
}

/** The transpose of hostSelect: writes slices into a zeroed `out`. */
function hostScatter(
  data: Float32Array,
  shape: [number, number],
  index: Int32Array,
  axis: 0 | 1,
  out: Float32Array,
): void {
  const [rows, cols] = shape;
  const k = index.length;
  if (axis === 0) {
    for (let i = 0; i < k; i++) {
      out.set(data.subarray(i * cols, (i + 1) * cols), index[i] * cols);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < k; j++) out[base + index[j]] = data[r * k + j];
  }
}

/**
 * x restricted to the distinct positions `index` along `axis`.
 * @param x [rows, cols], float32
 * @param index [k], distinct int32 positions along `axis`
 * @returns [k, cols] for axis 0, [rows, k] for axis 1
 */
export function selectIndices(
  x: tf.Tensor2D,
  index: Int32Array,
  axis: 0 | 1,
  kernel: SelectKernel = 'auto',
): tf.Tensor2D {
  const shape = x.shape as [number, number];
  checkIndex(index, shape[axis]);
  const useHost =
    kernel === 'host' ||
    (kernel === 'auto' && HOST_BACKENDS.includes(tf.getBackend()));
  const outShape: [number, number] =
    axis === 0 ? [index.length, shape[1]] : [shape[0], index.length];

  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const source = args[0] as tf.Tensor;
    if (useHost) {
      return {
        value: fillNewTensor(outShape, (out) =>
          hostSelect(readHost(source), shape, index, axis, out),
        ),
        gradFunc: (dy: tf.Tensor) =>
          fillNewTensor(shape, (out) =>
            hostScatter(readHost(dy), shape, index, axis, out),
          ),
      };
    }
    return {
      value: tf.gather(source, tf.tensor1d(index, 'int32'), axis),
      gradFunc: (dy: tf.Tensor) => {
        const zeroShape: [number, number] =
          axis === 0 ? [1, shape[1]] : [shape[0], 1];
        // [k + 1, cols] or [rows, k + 1]: the extra slice is all zero.
        const padded = tf.concat([dy, tf.zeros(zeroShape)], axis);
        const inverse = tf.tensor1d(inverseIndex(index, shape[axis]), 'int32');
        return tf.gather(padded, inverse, axis); // [rows, cols]
      },
    };
  });
  return op(x) as tf.Tensor2D;
}

/**
 * x[rows][:, cols], optionally transposed, in one pass.
 * @param x [numRows, numCols]
 * @param rows distinct row positions, or null for all
 * @param cols distinct column positions, or null for all
 * @returns [rows, cols], or [cols, rows] when `transpose`
 */
export function selectSubmatrix(
  x: tf.Tensor2D,
  rows: Int32Array | null,
  cols: Int32Array | null,
  transpose: boolean,
  kernel: SelectKernel = 'auto',
): tf.Tensor2D {
  const useHost =
    kernel === 'host' ||
    (kernel === 'auto' && HOST_BACKENDS.includes(tf.getBackend()));
  if (!useHost) {
    // Device path: compose the single-axis selections (each with its own
    // inverse-index gradient) and tf.transpose.
    let out = x;
    if (rows !== null) out = selectIndices(out, rows, 0, 'gather');
    if (cols !== null) out = selectIndices(out, cols, 1, 'gather');
    return transpose ? tf.transpose(out) : out;
  }
  const shape = x.shape as [number, number];
  if (rows !== null) checkIndex(rows, shape[0]);
  if (cols !== null) checkIndex(cols, shape[1]);
  const rowIndex = rows ?? allIndices(shape[0]);
  const colIndex = cols ?? allIndices(shape[1]);
  const numRows = rowIndex.length;
  const numCols = colIndex.length;
  const outShape: [number, number] = transpose
    ? [numCols, numRows]
    : [numRows, numCols];
  // Position of element (i, j) of the selection in the output buffer.
  const rowStride = transpose ? 1 : numCols;
  const colStride = transpose ? numRows : 1;

  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const source = args[0] as tf.Tensor;
    const value = fillNewTensor(outShape, (out) => {
      const data = readHost(source);
      for (let i = 0; i < numRows; i++) {
        const base = rowIndex[i] * shape[1];
        const outBase = i * rowStride;
        for (let j = 0; j < numCols; j++) {
          out[outBase + j * colStride] = data[base + colIndex[j]];
        }
      }
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor) =>
        fillNewTensor(shape, (grad) => {
          const dyData = readHost(dy);
          for (let i = 0; i < numRows; i++) {
            const base = rowIndex[i] * shape[1];
            const outBase = i * rowStride;
            for (let j = 0; j < numCols; j++) {
              grad[base + colIndex[j]] = dyData[outBase + j * colStride];
            }
          }
        }),
    };
  });
  return op(x) as tf.Tensor2D;
}

function allIndices(size: number): Int32Array {
  const index = new Int32Array(size);
  for (let i = 0; i < size; i++) index[i] = i;
  return index;
}
