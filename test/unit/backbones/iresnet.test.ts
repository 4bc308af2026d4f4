import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  IResNet,
  resolveIResNetConfig,
} from '../../../kernels/subface/backbones';
import { initRuntime } from '../../../kernels/subface/runtime';
import {
  checkBatchStatistics,
  checkTrainingStep,
  checkWasmGradients,
  randomImages,
} from './backbone_checks';

/** A narrow iResNet-18 that runs in milliseconds. */
const TINY = { inputSize: 32, baseWidth: 8, embeddingDim: 16 };

describe('IResNet', () => {
  before(async () => {
    const info = await initRuntime({ backend: 'wasm' });
    assert.equal(info.choice, 'wasm');
  });

  it('uses the state_dict keys of InsightFace', () => {
    const net = new IResNet('iresnet18', TINY);
    const keys = net.namedWeights().map((w) => w.key);
    assert.deepEqual(keys.slice(0, 7), [
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'prelu.weight',
      'layer1.0.bn1.weight',
    ]);
    assert.ok(keys.includes('layer4.0.downsample.0.weight'));
    assert.ok(!keys.includes('layer4.1.downsample.0.weight'));
    assert.deepEqual(keys.slice(-7), [
      'bn2.running_var',
      'fc.weight',
      'fc.bias',
      'features.weight',
      'features.bias',
      'features.running_mean',
      'features.running_var',
    ]);
    const fc = net.namedWeights().find((w) => w.key === 'fc.weight');
    assert.deepEqual(fc?.flattenedFrom, [2, 2, 64]);
    net.dispose();
  });

  it('halves the side in each of the four stages', () => {
    for (const [inputSize, side] of [
      [112, 7],
      [56, 4],
      [32, 2],
      [24, 2],
    ]) {
      const net = new IResNet('iresnet18', { ...TINY, inputSize });
      assert.equal(net.finalSize(), side);
      net.dispose();
    }
  });

  it('normalises with batch statistics in training mode only', () => {
    const net = new IResNet('iresnet18', TINY);
    checkBatchStatistics(net);
    net.dispose();
  });

  it('keeps the embedding BN scale frozen at 1', () => {
    const net = new IResNet('iresnet18', TINY);
    const scale = net.namedWeights().find((w) => w.key === 'features.weight');
    assert.ok(scale !== undefined && !scale.variable.trainable);
    assert.ok(net.nonTrainableWeights.includes(scale.variable));
    checkTrainingStep(net);
    assert.ok(scale.variable.dataSync().every((v) => v === 1));
    net.dispose();
  });

  it('applies dropout in training mode only', () => {
    const plain = new IResNet('iresnet18', TINY);
    const dropped = new IResNet('iresnet18', { ...TINY, dropout: 0.5 });
    const images = randomImages(4, TINY.inputSize);
    const same = tf.tidy(
      () =>
        tf
          .max(
            tf.abs(
              tf.sub(
                plain.apply(images, { training: false }),
                dropped.apply(images, { training: false }),
              ),
            ),
          )
          .dataSync()[0],
    );
    assert.ok(same < 1e-6);
    const different = tf.tidy(
      () =>
        tf
          .max(
            tf.abs(
              tf.sub(
                plain.apply(images, { training: true }),
                dropped.apply(images, { training: true }),
              ),
            ),
          )
          .dataSync()[0],
    );
    assert.ok(different > 1e-2);
    tf.dispose([images]);
    plain.dispose();
    dropped.dispose();
  });

  it('trains on wasm without missing kernels or leaks', () => {
    const net = new IResNet('iresnet34', TINY);
    checkTrainingStep(net);
    net.dispose();
  });

  it('has the same gradients on wasm as on cpu', async () => {
    const net = new IResNet('iresnet18', { ...TINY, inputSize: 16 });
    await checkWasmGradients(net);
    net.dispose();
  });

  it('rejects images of the wrong size and bad settings', () => {
    const net = new IResNet('iresnet18', TINY);
    const images = tf.zeros<tf.Rank.R4>([1, 31, 31, 3]);
    assert.throws(
      () => net.apply(images, { training: false }),
      /IResNet.apply: images must be \[batch, 32, 32, 3\], but got \[1, 31/,
    );
    images.dispose();
    net.dispose();
    assert.throws(
      () => resolveIResNetConfig({ dropout: 1 }),
      /IResNet: dropout must be in \[0, 1\), but got 1/,
    );
    assert.throws(
      () => resolveIResNetConfig({ baseWidth: 0.5 }),
      /baseWidth must be a positive integer, but got 0.5/,
    );
    assert.throws(
      () => new IResNet('iresnet20' as 'iresnet18'),
      /must be one of iresnet18, iresnet34, iresnet50, iresnet100, but got/,
    );
  });
});
