import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { SubFaceHead } from '../../../kernels/subface/losses';
import { initRuntime } from '../../../kernels/subface/runtime';
import { checkCase, loadReference } from './helpers';

const reference = loadReference();

describe('losses on the wasm backend', () => {
  before(async () => {
    const runtime = await initRuntime({ backend: 'wasm' });
    assert.equal(runtime.backend, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
  });

  it('computes every reference gradient with no missing kernel', () => {
    for (const testCase of reference.cases) {
      checkCase(reference, testCase, 'classMajor', 'gather', 'auto');
      if (testCase.blocks) {
        checkCase(reference, testCase, 'classMajor', 'mask', 'auto');
        checkCase(reference, testCase, 'dimMajor', 'gather', 'auto');
      }
    }
  });

  it('runs the device gather kernel (inverse-index scatter) on wasm', () => {
    for (const testCase of reference.cases) {
      if (testCase.blocks || testCase.classIndex) {
        checkCase(reference, testCase, 'classMajor', 'gather', 'gather');
      }
    }
  });

  it('trains a step through tf.variableGrads without leaking', () => {
    const head = new SubFaceHead({
      numClasses: 50,
      embeddingDim: 16,
      partialFc: { sampleRate: 0.5 },
      subface: { sampler: 'partition', ratio: 0.5 },
    });
    const raw = tf.randomNormal([8, 16]) as tf.Tensor2D;
    const labels = Int32Array.from([0, 1, 2, 3, 4, 5, 49, -1]);
    const run = (): void => {
      const { value, grads } = tf.variableGrads(
        () => head.loss(raw, labels),
        head.trainableVariables(),
      );
      assert.ok(Number.isFinite(value.dataSync()[0]));
      tf.dispose([value, ...Object.values(grads)]);
    };
    run();
    const before = tf.memory().numTensors;
    run();
    run();
    assert.equal(tf.memory().numTensors, before);
    raw.dispose();
    head.dispose();
  });
});
