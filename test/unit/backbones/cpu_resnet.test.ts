import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  CpuResNet,
  resolveCpuResNetConfig,
} from '../../../kernels/subface/backbones';
import { initRuntime } from '../../../kernels/subface/runtime';
import { checkWasmGradients } from './backbone_checks';
import { installFastGradients } from '../../../kernels/subface/runtime/fast_gradients';

/** Relative tolerance between wasm and cpu gradients of the whole net. */
const RELATIVE_TOLERANCE = 1e-4;

/**
 * Trainable parameters by hand, for a 112x112 input:
 *   conv k x k, ci -> co: k*k*ci*co; BN: 2c (scale, offset); PReLU: c.
 *   stem 3 -> 32:      9*3*32 + 2*32 + 32                      =       960
 *   stage ci -> co:    9*ci*co + 9*co*co + ci*co + 3*2co + co
 *     32 -> 32:                                                   19,680
 *     32 -> 64:                                                   57,792
 *     64 -> 128:                                                 230,272
 *     128 -> 256:                                                919,296
 *   sizes 112 -> 56 -> 28 -> 14 -> 7 -> 4, so FC 4*4*256 -> 512
 *     with its BN:     4096*512 + 2*512                       = 2,098,176
 *   total                                                     = 3,326,176
 * bench/torch_train_step.py prints the same count for its PyTorch twin
 * (`params_backbone`).
 */
const PARAMS_AT_112 = 3326176;

describe('CpuResNet', () => {
  before(async () => {
    await initRuntime({ backend: 'wasm' });
    installFastGradients();
  });

  it('has the parameter count of the hand formula', () => {
    const net = new CpuResNet();
    assert.equal(net.countParams(), PARAMS_AT_112);
    net.dispose();
  });

  it('costs 0.057 GMAC per 112x112 image forward', () => {
    const net = new CpuResNet();
    assert.equal(net.finalSize(), 4);
    assert.ok(Math.abs(net.countMacs() / 1e9 - 0.0572) < 0.0001);
    net.dispose();
  });

  it('maps [batch, size, size, 3] images to [batch, 512]', () => {
    const net = new CpuResNet({ inputSize: 24 });
    const images = tf.randomNormal<tf.Rank.R4>([3, 24, 24, 3]);
    const training = net.apply(images, { training: true });
    const inference = net.apply(images, { training: false });
    assert.deepEqual(training.shape, [3, 512]);
    assert.deepEqual(inference.shape, [3, 512]);
    tf.dispose([images, training, inference]);
    net.dispose();
  });

  it('normalises with batch statistics in training mode only', () => {
    const net = new CpuResNet({ inputSize: 16 });
    const images = tf.randomNormal<tf.Rank.R4>([6, 16, 16, 3], 2, 3);
    const moving = net.nonTrainableWeights[0];
    const before = moving.dataSync().slice();

    // The neck BN starts with scale 1 and offset 0, so in training mode
    // every embedding dimension has zero mean over the batch.
    const training = net.apply(images, { training: true });
    const columnMeans = tf.mean(training, 0).dataSync();
    assert.ok(columnMeans.every((m) => Math.abs(m) < 1e-4));
    assert.notDeepEqual(moving.dataSync(), before);

    const inference = net.apply(images, { training: false });
    const inferenceMeans = tf.mean(inference, 0).dataSync();
    assert.ok(inferenceMeans.some((m) => Math.abs(m) > 1e-3));
    tf.dispose([images, training, inference]);
    net.dispose();
  });

  it('has the same gradients on wasm as on cpu', async () => {
    const net = new CpuResNet({ inputSize: 16, seed: 5 });
    await checkWasmGradients(net, RELATIVE_TOLERANCE);
    net.dispose();
  });

  it('does not leak tensors in a training step', () => {
    const net = new CpuResNet({ inputSize: 16 });
    const images = tf.randomNormal<tf.Rank.R4>([2, 16, 16, 3]);
    const optimizer = tf.train.momentum(0.1, 0.9);
    const step = () =>
      optimizer.minimize(
        () => tf.sum(net.apply(images, { training: true })),
        false,
        net.trainableWeights,
      );
    step(); // creates the optimizer's momentum slots
    const before = tf.memory().numTensors;
    step();
    assert.equal(tf.memory().numTensors, before);
    optimizer.dispose();
    images.dispose();
    net.dispose();
  });

  it('rejects images of the wrong size and bad settings', () => {
    const net = new CpuResNet({ inputSize: 16 });
    const images = tf.zeros<tf.Rank.R4>([1, 15, 15, 3]);
    assert.throws(
      () => net.apply(images, { training: false }),
      /images must be \[batch, 16, 16, 3\], but got \[1, 15, 15, 3\]/,
    );
    images.dispose();
    net.dispose();
    assert.throws(
      () => resolveCpuResNetConfig({ stageChannels: [32, 0] }),
      /stageChannels\[1\] must be a positive integer, but got 0/,
    );
    assert.throws(
      () => resolveCpuResNetConfig({ batchNormMomentum: 1 }),
      /batchNormMomentum must be in \[0, 1\)/,
    );
  });
});
