/**
 * Gradient of `gather` for wasm. tfjs sums the gathered slices back with
 * `UnsortedSegmentSum`, which wasm does not register; `scatterND` is
 * registered there and also adds up rows whose index repeats.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * dL/dx of `gather(x, indices, axis)` with batchDims 0.
 *
 * @param dy [...x.shape[:axis], ...indices.shape, ...x.shape[axis+1:]]
 * @param xShape shape of the gathered tensor
 * @param indices int32, any shape
 */
export function gatherGradient(
  dy: tf.Tensor,
  xShape: number[],
  indices: tf.Tensor,
  axis: number,
): tf.Tensor {
  const outer = xShape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = xShape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const count = indices.size;
  const rows = xShape[axis];
  const where = tf.reshape(tf.cast(indices, 'int32'), [count, 1]);

  if (outer === 1) {
    const updates = tf.reshape(dy, [count, inner]); // [count, inner]
    const summed = tf.scatterND(where, updates, [rows, inner]);
    return tf.reshape(summed, xShape);
  }
  const grouped = tf.reshape(dy, [outer, count, inner]);
  // [count, outer, inner]: scatterND indexes the leading axis.
  const updates = tf.transpose(grouped, [1, 0, 2]);
  const summed = tf.scatterND(where, updates, [rows, outer, inner]);
  // [outer, rows, inner]
  return tf.reshape(tf.transpose(summed, [1, 0, 2]), xShape);
}
