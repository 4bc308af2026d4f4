import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  MarginSoftmaxHead,
  remapLabels,
  resolvePartialFcConfig,
  sampleClasses,
  SubFaceHead,
} from '../../../kernels/subface/losses';
import { SeededRandom } from '../../../kernels/subface/runtime/random';
import { assertClose, LOSS_RTOL, useCpu } from './helpers';

describe('Partial FC sampling', () => {
  it('keeps every positive, fills with sorted distinct negatives', () => {
    const random = new SeededRandom(1);
    const labels = Int32Array.from([5, 17, 5, 99, -1, 0]);
    for (let trial = 0; trial < 50; trial++) {
      const { classIndex, labels: local } = sampleClasses(
        labels,
        100,
        0.3,
        random,
      );
      assert.equal(classIndex.length, 30);
      for (let i = 1; i < classIndex.length; i++) {
        assert.ok(classIndex[i] > classIndex[i - 1]);
      }
      for (const positive of [0, 5, 17, 99]) {
        assert.ok(classIndex.includes(positive));
      }
      labels.forEach((label, i) => {
        if (label === -1) assert.equal(local[i], -1);
        else assert.equal(classIndex[local[i]], label);
      });
    }
  });

  it('draws negatives uniformly', () => {
    const random = new SeededRandom(2);
    const counts = new Array(20).fill(0);
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const { classIndex } = sampleClasses(
        Int32Array.from([3]),
        20,
        0.25,
        random,
      );
      classIndex.forEach((c) => counts[c]++);
    }
    assert.equal(counts[3], trials);
    // Each negative: 4 of 19 slots -> p = 0.2105, sd per count ~ 26.
    counts.forEach((count, c) => {
      if (c !== 3) assert.ok(Math.abs(count / trials - 4 / 19) < 0.03, `${c}`);
    });
  });

  it('uses only the positives when they exceed num_sample', () => {
    const labels = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const { classIndex } = sampleClasses(labels, 10, 0.2, new SeededRandom(3));
    assert.deepEqual(Array.from(classIndex), [1, 2, 3, 4, 5, 6]);
  });

  it('remaps labels by binary search and rejects unsampled ones', () => {
    const index = Int32Array.from([2, 4, 9]);
    assert.deepEqual(
      Array.from(remapLabels(Int32Array.from([9, -1, 2]), index)),
      [2, -1, 0],
    );
    assert.throws(() => remapLabels(Int32Array.from([3]), index), {
      message:
        /labels must be among the sampled classes, but got 3 at position 0/,
    });
  });

  it('rejects a sample rate outside (0, 1]', () => {
    assert.throws(() => resolvePartialFcConfig({ sampleRate: 0 }), {
      message: /sampleRate must be a finite number in/,
    });
    assert.throws(() => resolvePartialFcConfig({ sampleRate: 1.5 }));
  });
});

describe('Partial FC heads', () => {
  before(useCpu);

  it('gives the full loss with sampleRate = 1', () => {
    const config = { numClasses: 12, embeddingDim: 6, seed: 4 };
    const full = new MarginSoftmaxHead(config);
    const partial = new MarginSoftmaxHead({
      ...config,
      partialFc: { sampleRate: 1 },
    });
    const raw = tf.randomNormal([5, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
    const labels = [0, 11, 3, 3, 7];
    const everyClass = Int32Array.from({ length: 12 }, (_, i) => i);
    const values = tf.tidy(() => [
      full.loss(raw, labels).dataSync()[0],
      partial.loss(raw, labels).dataSync()[0],
      partial
        .lossWithDraw(raw, labels, { classIndex: everyClass, blocks: null })
        .dataSync()[0],
    ]);
    assertClose(values.slice(1), [values[0], values[0]], LOSS_RTOL, 0, 'loss');
    tf.dispose([raw]);
    full.dispose();
    partial.dispose();
  });

  it('gives zero gradient to class centres that were not sampled', () => {
    const head = new SubFaceHead({
      numClasses: 30,
      embeddingDim: 8,
      partialFc: { sampleRate: 0.2 },
      subface: { ratio: 0.5 },
    });
    const raw = tf.randomNormal([4, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    const labels = [1, 2, 2, 29];
    const { grads } = tf.variableGrads(
      () => head.loss(raw, labels),
      head.trainableVariables(),
    );
    const grad = grads[
      head.centers.classCenters.name
    ].arraySync() as number[][];
    const touched = grad.filter((row) => row.some((v) => v !== 0)).length;
    // 6 sampled classes; 3 positives always among them.
    assert.ok(touched <= 6 && touched >= 3, `${touched} rows touched`);
    for (const c of [1, 2, 29]) assert.ok(grad[c].some((v) => v !== 0));
    tf.dispose([raw, ...Object.values(grads)]);
    head.dispose();
  });
});
