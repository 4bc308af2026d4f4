import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  Adam,
  Param,
  Sgd,
  SlotOptimizer,
  TrainError,
} from '../../../kernels/subface/train';
import { setUpRuntime } from './helpers';

/** float32 arithmetic against float64 references (reference_values.py). */
const FLOAT_TOL = 1e-6;

const W0 = [1, -2];
const G1 = [0.5, 0.1];
const G2 = [-0.2, 0.3];

function assertClose(actual: ArrayLike<number>, expected: number[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) =>
    assert.ok(
      Math.abs(actual[i] - e) <= FLOAT_TOL * Math.max(1, Math.abs(e)),
      `entry ${i}: ${actual[i]} vs ${e}`,
    ),
  );
}

/** Two updates of one parameter [1, -2] with gradients G1 then G2. */
function twoSteps(
  optimizer: SlotOptimizer,
  lrs: [number, number],
  decay = true,
): { param: Param; values: Float32Array } {
  const param: Param = {
    name: 'w',
    variable: tf.variable(tf.tensor1d(W0)),
    decay,
  };
  [G1, G2].forEach((g, i) => {
    const grad = tf.tensor1d(g);
    optimizer.apply([param], { w: grad }, lrs[i]);
    grad.dispose();
  });
  return { param, values: param.variable.dataSync() as Float32Array };
}

describe('optimizers', () => {
  before(setUpRuntime);

  it('applies SGD momentum and weight decay as PyTorch does', () => {
    const sgd = new Sgd({ momentum: 0.9, weightDecay: 0.01 });
    const { param, values } = twoSteps(sgd, [0.1, 0.05]);
    assertClose(values, [0.9355755, -2.025596]);
    const slots = sgd.getSlots();
    assert.equal(slots.iterations, 2);
    assertClose(slots.tensors.w.momentum.dataSync(), [0.26849, 0.35192]);
    tf.dispose([param.variable, slots.tensors.w.momentum]);
    sgd.dispose();
  });

  it('skips weight decay on parameters marked decay: false', () => {
    const sgd = new Sgd({ momentum: 0, weightDecay: 0.5 });
    const { param, values } = twoSteps(sgd, [0.1, 0.1], false);
    // w - 0.1 * (G1 + G2), no decay term and no slots.
    assertClose(values, [1 - 0.03, -2 - 0.04]);
    assert.deepEqual(sgd.slotParams(), []);
    param.variable.dispose();
  });

  it('applies Adam with bias correction over two steps', () => {
    const adam = new Adam();
    const { param, values } = twoSteps(adam, [0.1, 0.1]);
    assertClose(values, [0.8654394181165108, -2.19177809779441]);
    const slots = adam.getSlots();
    assertClose(slots.tensors.w.m.dataSync(), [0.025, 0.039]);
    assertClose(slots.tensors.w.v.dataSync(), [0.00028975, 9.999e-5]);
    tf.dispose([param.variable, slots.tensors.w.m, slots.tensors.w.v]);
    adam.dispose();
  });

  it('puts Adam weight decay in the gradient and AdamW outside it', () => {
    const adam = new Adam({ weightDecay: 0.1 });
    const coupled = twoSteps(adam, [0.1, 0.1]);
    assertClose(coupled.values, [0.8475190629593703, -1.9100134862701348]);
    const adamw = new Adam({ weightDecay: 0.1, decoupled: true });
    assert.equal(adamw.kind, 'adamw');
    const decoupled = twoSteps(adamw, [0.1, 0.1]);
    assertClose(decoupled.values, [0.8465394180965108, -2.15097809789441]);
    tf.dispose([coupled.param.variable, decoupled.param.variable]);
    adam.dispose();
    adamw.dispose();
  });

  it('continues identically from saved slots', () => {
    const first = new Adam();
    const param: Param = {
      name: 'w',
      variable: tf.variable(tf.tensor1d(W0)),
      decay: true,
    };
    const g1 = tf.tensor1d(G1);
    const g2 = tf.tensor1d(G2);
    first.apply([param], { w: g1 }, 0.1);
    const saved = first.getSlots();
    const second = new Adam();
    second.setSlots(saved);
    tf.dispose(Object.values(saved.tensors.w));
    second.apply([param], { w: g2 }, 0.1);
    assertClose(
      param.variable.dataSync(),
      [0.8654394181165108, -2.19177809779441],
    );
    assert.equal(second.iterations, 2);
    tf.dispose([param.variable, g1, g2]);
    first.dispose();
    second.dispose();
  });

  it('rejects slots of another optimizer kind', () => {
    const sgd = new Sgd();
    assert.throws(
      () => sgd.setSlots({ kind: 'adam', iterations: 1, tensors: {} }),
      (error: Error) =>
        error instanceof TrainError &&
        /slots.kind must be one of 'sgd', but got 'adam'/.test(error.message),
    );
  });

  it('rejects a missing gradient and a negative lr', () => {
    const sgd = new Sgd();
    const param: Param = {
      name: 'w',
      variable: tf.variable(tf.tensor1d(W0)),
      decay: true,
    };
    assert.throws(() => sgd.apply([param], {}, 0.1), /gradient of 'w'/);
    const grad = tf.tensor1d(G1);
    assert.throws(() => sgd.apply([param], { w: grad }, -1), /lr must be/);
    tf.dispose([param.variable, grad]);
  });

  it('does not leak tensors across updates', () => {
    const sgd = new Sgd();
    const param: Param = {
      name: 'w',
      variable: tf.variable(tf.tensor1d(W0)),
      decay: true,
    };
    const grad = tf.tensor1d(G1);
    sgd.apply([param], { w: grad }, 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) sgd.apply([param], { w: grad }, 0.1);
    assert.equal(tf.memory().numTensors, before);
    sgd.dispose();
    tf.dispose([param.variable, grad]);
  });
});
