/**
 * Label checks at the head's boundary, before any tensor work.
 *
 * Labels are int32 class indices in [0, numClasses). -1 means "this row's
 * class is not in this shard" (model parallel / Partial FC): the row has no
 * positive here. Float labels are refused even when they hold whole
 * numbers: a float label tensor is the classic way to train against the
 * wrong column (insightface#1437: a loss stuck at 69.0776).
 */
import * as tf from '@tensorflow/tfjs';

import { fail, LossError } from './errors';

/** What a head accepts as labels: host int32 values or an int32 tensor. */
export type LabelsInput = Int32Array | readonly number[] | tf.Tensor1D;

/** The label of a row whose class lives in another shard. */
export const NOT_IN_SHARD = -1;

/**
 * Returns the labels as a host Int32Array after checking dtype, length
 * and range. A tensor is read synchronously (labels are small).
 * @param labels [batch], int32
 */
export function validateLabels(
  where: string,
  labels: LabelsInput,
  batchSize: number,
  numClasses: number,
): Int32Array {
  let values: Int32Array;
  if (labels instanceof tf.Tensor) {
    if (labels.dtype !== 'int32') {
      fail(where, 'labels dtype', "'int32' (class indices)", labels.dtype);
    }
    if (labels.rank !== 1) {
      fail(where, 'labels rank', '1 ([batch])', labels.shape);
    }
    values = labels.dataSync() as Int32Array;
  } else if (labels instanceof Int32Array) {
    values = labels;
  } else if (Array.isArray(labels)) {
    labels.forEach((label, position) => {
      if (!Number.isInteger(label)) {
        throw new LossError(
          `${where}: labels must be integers, but got ${label} at ` +
            `position ${position}`,
        );
      }
    });
    values = Int32Array.from(labels);
  } else {
    fail(where, 'labels', 'an Int32Array, number[] or int32 Tensor1D', labels);
  }

  if (values.length !== batchSize) {
    fail(where, 'labels length', `the batch size ${batchSize}`, values.length);
  }
  for (let position = 0; position < values.length; position++) {
    const label = values[position];
    if (label !== NOT_IN_SHARD && (label < 0 || label >= numClasses)) {
      throw new LossError(
        `${where}: labels must be in [0, ${numClasses}) or -1 (not in ` +
          `this shard), but got ${label} at position ${position}`,
      );
    }
  }
  return values;
}
