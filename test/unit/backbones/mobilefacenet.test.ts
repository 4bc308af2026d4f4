import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  MobileFaceNet,
  resolveMobileFaceNetConfig,
} from '../../../kernels/subface/backbones';
import { initRuntime } from '../../../kernels/subface/runtime';
import {
  checkBatchStatistics,
  checkTrainingStep,
  checkWasmGradients,
} from './backbone_checks';

describe('MobileFaceNet', () => {
  before(async () => {
    const info = await initRuntime({ backend: 'wasm' });
    assert.equal(info.choice, 'wasm');
  });

  it('pools the whole last map with the global depthwise conv', () => {
    for (const [inputSize, side] of [
      [112, 7],
      [56, 4],
      [32, 2],
    ]) {
      const net = new MobileFaceNet({ inputSize, embeddingDim: 16 });
      assert.equal(net.finalSize(), side);
      const gdc = net.namedWeights().find((w) => w.key === 'gdc.conv.weight');
      assert.deepEqual(gdc?.variable.shape, [side, side, 512, 1]);
      assert.equal(gdc?.layout, 'depthwise');
      net.dispose();
    }
  });

  it('adds the input back only in stride-1 bottlenecks of equal width', () => {
    const net = new MobileFaceNet({ inputSize: 32 });
    // 15 bottlenecks: 5 + 1 + 6 + 1 + 2; a linear projection ends each.
    const projections = net
      .namedWeights()
      .filter((w) => /^blocks\.\d+\.project\.conv\.weight$/.test(w.key));
    assert.equal(projections.length, 15);
    assert.ok(
      !net.namedWeights().some((w) => w.key === 'blocks.0.project.prelu'),
    );
    net.dispose();
  });

  it('normalises with batch statistics in training mode only', () => {
    const net = new MobileFaceNet({ inputSize: 32, embeddingDim: 16 });
    checkBatchStatistics(net);
    net.dispose();
  });

  it('trains on wasm without missing kernels or leaks', () => {
    const net = new MobileFaceNet({ inputSize: 32, embeddingDim: 16 });
    checkTrainingStep(net);
    net.dispose();
  });

  it('has the same depthwise gradients on wasm as on cpu', async () => {
    // Two stages keep every kind of layer (strided and residual
    // bottlenecks, the GDC) while the cpu backend stays quick.
    const net = new MobileFaceNet({
      inputSize: 8,
      embeddingDim: 16,
      stages: [
        { expansion: 2, channels: 64, repeats: 2, stride: 2 },
        { expansion: 4, channels: 128, repeats: 1, stride: 2 },
      ],
    });
    await checkWasmGradients(net);
    net.dispose();
  });

  it('rejects images of the wrong size and bad stages', () => {
    const net = new MobileFaceNet({ inputSize: 32 });
    const images = tf.zeros<tf.Rank.R4>([1, 32, 32, 1]);
    assert.throws(
      () => net.apply(images, { training: false }),
      /MobileFaceNet.apply: images must be float32 with 3 channels/,
    );
    images.dispose();
    net.dispose();
    assert.throws(
      () =>
        resolveMobileFaceNetConfig({
          stages: [{ expansion: 2, channels: 64, repeats: 1, stride: 3 }],
        }),
      /stages\[0\].stride must be 1 or 2, but got 3/,
    );
    assert.throws(
      () => resolveMobileFaceNetConfig({ stages: [] }),
      /stages must hold at least one stage, but got \[\]/,
    );
  });
});
