/**
 * Boundary checks for a head's step: embeddings and explicit draws.
 * Labels are checked in labels.ts.
 */
import * as tf from '@tensorflow/tfjs';

import { fail } from './errors';
import { StepDraw } from './head_loss';
import { NOT_IN_SHARD } from './labels';

/** Checks rank, dtype and width of the backbone's output. */
export function validateEmbeddings(
  where: string,
  rawEmbeddings: tf.Tensor,
  embeddingDim: number,
): tf.Tensor2D {
  if (!(rawEmbeddings instanceof tf.Tensor)) {
    fail(where, 'rawEmbeddings', 'a tf.Tensor2D', rawEmbeddings);
  }
  if (rawEmbeddings.rank !== 2 || rawEmbeddings.shape[0] < 1) {
    fail(
      where,
      'rawEmbeddings shape',
      `[batch >= 1, ${embeddingDim}]`,
      rawEmbeddings.shape,
    );
  }
  if (rawEmbeddings.shape[1] !== embeddingDim) {
    fail(
      where,
      'rawEmbeddings shape',
      `[batch, ${embeddingDim}] (embeddingDim)`,
      rawEmbeddings.shape,
    );
  }
  if (rawEmbeddings.dtype !== 'float32') {
    fail(where, 'rawEmbeddings dtype', "'float32'", rawEmbeddings.dtype);
  }
  return rawEmbeddings as tf.Tensor2D;
}

function checkDistinctSorted(
  where: string,
  what: string,
  values: Int32Array,
  size: number,
): void {
  for (let i = 0; i < values.length; i++) {
    const ok =
      values[i] >= 0 &&
      values[i] < size &&
      (i === 0 || values[i] > values[i - 1]);
    if (!ok) {
      fail(where, what, `sorted distinct integers in [0, ${size})`, values);
    }
  }
  if (values.length === 0) fail(where, what, 'non-empty', values);
}

/**
 * Checks a caller-supplied draw: sampled classes hold every positive,
 * blocks cover the batch in order with valid dims.
 */
export function validateDraw(
  where: string,
  draw: StepDraw,
  labels: Int32Array,
  numClasses: number,
  embeddingDim: number,
): void {
  if (draw.classIndex !== null) {
    checkDistinctSorted(where, 'draw.classIndex', draw.classIndex, numClasses);
    const sampled = new Set(draw.classIndex);
    labels.forEach((label, position) => {
      if (label !== NOT_IN_SHARD && !sampled.has(label)) {
        fail(
          where,
          `draw.classIndex (label at position ${position})`,
          'a superset of the batch labels',
          label,
        );
      }
    });
  }
  if (draw.blocks !== null) {
    let nextRow = 0;
    for (const block of draw.blocks) {
      if (block.rowStart !== nextRow || block.rowEnd < block.rowStart) {
        fail(
          where,
          'draw.blocks',
          `consecutive row ranges starting at ${nextRow}`,
          [block.rowStart, block.rowEnd],
        );
      }
      checkDistinctSorted(
        where,
        'draw.blocks[].dims',
        block.dims,
        embeddingDim,
      );
      nextRow = block.rowEnd;
    }
    if (nextRow !== labels.length) {
      fail(where, 'draw.blocks', `to cover ${labels.length} rows`, nextRow);
    }
  }
}
