import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  batchNormTraining,
  preluTraining,
} from '../../../kernels/subface/backbones/channel_ops';

/** Largest difference allowed, relative to the largest reference entry. */
const RELATIVE_TOLERANCE = 1e-4;

function assertClose(actual: tf.Tensor, expected: tf.Tensor): void {
  const a = actual.dataSync();
  const e = expected.dataSync();
  assert.deepEqual(actual.shape, expected.shape);
  let scale = 0;
  let worst = 0;
  e.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, Math.abs(v - a[i]));
  });
  assert.ok(
    worst <= RELATIVE_TOLERANCE * scale,
    `${worst} > ${RELATIVE_TOLERANCE} * ${scale}`,
  );
}

/**
 * Values and gradients of `custom` and of `reference` (tfjs' own ops and
 * gradients) agree, for a loss that weights the output randomly.
 */
function checkAgainstTfjs(
  inputs: tf.Tensor[],
  custom: (...xs: tf.Tensor[]) => tf.Tensor,
  reference: (...xs: tf.Tensor[]) => tf.Tensor,
): void {
  tf.tidy(() => {
    const weights = tf.randomNormal(
      reference(...inputs).shape,
      0,
      1,
      'float32',
      7,
    );
    const loss = (f: (...xs: tf.Tensor[]) => tf.Tensor) => () =>
      tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(
        inputs,
      );
    assertClose(custom(...inputs), reference(...inputs));
    const expected = loss(reference)();
    loss(custom)().forEach((g, i) => assertClose(g, expected[i]));
  });
}

describe('batchNormTraining and preluTraining', () => {
  before(async () => {
    assert.ok(await tf.setBackend('cpu'));
  });

  it('match the values and gradients of moments + batchNorm', () => {
    for (const shape of [
      [4, 5, 3, 6],
      [4, 20, 20, 32],
      [7, 9],
    ]) {
      const channels = shape[shape.length - 1];
      const inputs = [
        tf.randomNormal(shape, 1.5, 2, 'float32', 1),
        tf.randomNormal([channels], 1, 0.3, 'float32', 2),
        tf.randomNormal([channels], 0, 0.3, 'float32', 3),
      ];
      const axes = shape.slice(0, -1).map((_, i) => i);
      checkAgainstTfjs(
        inputs,
        (x, scale, offset) =>
          batchNormTraining(
            x,
            scale as tf.Tensor1D,
            offset as tf.Tensor1D,
            1e-5,
            () => {},
          ),
        (x, scale, offset) => {
          const { mean, variance } = tf.moments(x, axes);
          return tf.batchNorm(x, mean, variance, offset, scale, 1e-5);
        },
      );
      tf.dispose(inputs);
    }
  });

  it('hands out the batch mean and biased variance', () => {
    const x = tf.tensor2d([
      [1, 10],
      [3, 20],
      [5, 60],
    ]);
    const seen: number[][] = [];
    const y = batchNormTraining(x, tf.ones([2]), tf.zeros([2]), 1e-5, (m) => {
      seen.push([...m.mean.dataSync(), ...m.variance.dataSync()]);
    });
    assert.deepEqual(
      seen[0].map((v) => Math.round(v * 1000) / 1000),
      [3, 30, 2.667, 466.667],
    );
    tf.dispose([x, y]);
  });

  it('match the values and gradients of tf.prelu', () => {
    const inputs = [
      tf.randomNormal([3, 5, 5, 6], 0, 1, 'float32', 4),
      tf.randomUniform([6], 0, 0.5, 'float32', 5),
    ];
    checkAgainstTfjs(
      inputs,
      (x, alpha) => preluTraining(x, alpha as tf.Tensor1D),
      (x, alpha) => tf.prelu(x, alpha),
    );
    tf.dispose(inputs);
  });
});
