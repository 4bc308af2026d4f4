import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  clipByGlobalNorm,
  clipFactor,
  globalNorm,
} from '../../../kernels/subface/train';
import { setUpRuntime } from './helpers';

const FLOAT_TOL = 1e-6;

describe('gradient clipping', () => {
  before(setUpRuntime);

  it('computes the global L2 norm over all tensors', () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])];
    assert.ok(Math.abs(globalNorm(grads) - 5) < FLOAT_TOL);
    tf.dispose(grads);
  });

  it('scales only the named set, to maxNorm, as clip_grad_norm_', () => {
    const grads: Record<string, tf.Tensor> = {
      a: tf.tensor1d([6, 0]),
      b: tf.tensor1d([0, 8]),
      head: tf.tensor1d([100]),
    };
    const norm = clipByGlobalNorm(grads, ['a', 'b'], 5);
    assert.ok(Math.abs(norm - 10) < FLOAT_TOL);
    const factor = 5 / (10 + 1e-6);
    const a = grads.a.dataSync();
    assert.ok(Math.abs(a[0] - 6 * factor) < FLOAT_TOL);
    assert.ok(Math.abs(globalNorm([grads.a, grads.b]) - 5) < 1e-5);
    assert.equal(grads.head.dataSync()[0], 100);
    tf.dispose(Object.values(grads));
  });

  it('leaves gradients below the limit untouched', () => {
    assert.equal(clipFactor(4.9, 5), 1);
    const grads = { a: tf.tensor1d([3, 4]) };
    const original = grads.a;
    clipByGlobalNorm(grads, ['a'], 5.1);
    assert.equal(grads.a, original);
    original.dispose();
  });
});
