import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  BACKBONE_NAMES,
  BackboneConfig,
  BackboneError,
  createBackbone,
  CpuResNet,
  IResNet,
  MobileFaceNet,
} from '../../../kernels/subface/backbones';
import { initRuntime } from '../../../kernels/subface/runtime';

/** Small settings per family, so that every forward pass is quick. */
function smallConfig(name: string): BackboneConfig {
  const common = { inputSize: 32, embeddingDim: 24 };
  return name.startsWith('iresnet') ? { ...common, baseWidth: 8 } : common;
}

describe('createBackbone', () => {
  before(async () => {
    await initRuntime({ backend: 'wasm' });
  });

  it('knows every backbone', () => {
    assert.deepEqual(BACKBONE_NAMES, [
      'cpu_resnet',
      'iresnet18',
      'iresnet34',
      'iresnet50',
      'iresnet100',
      'mobilefacenet',
    ]);
  });

  for (const name of BACKBONE_NAMES) {
    it(`builds ${name}, mapping [2, 32, 32, 3] to [2, 24]`, () => {
      const net = createBackbone(name, smallConfig(name));
      assert.equal(net.architecture, name);
      assert.equal(net.inputSize, 32);
      assert.equal(net.embeddingDim, 24);
      const images = tf.randomNormal<tf.Rank.R4>([2, 32, 32, 3]);
      const before = tf.memory().numTensors;
      const rawEmbeddings = net.apply(images, { training: false });
      assert.deepEqual(rawEmbeddings.shape, [2, 24]);
      rawEmbeddings.dispose();
      assert.equal(tf.memory().numTensors, before);
      images.dispose();
      net.dispose();
    });
  }

  it('returns the class of each family', () => {
    const nets = [
      createBackbone('cpu_resnet', { inputSize: 16 }),
      createBackbone('iresnet50', smallConfig('iresnet50')),
      createBackbone('mobilefacenet', { inputSize: 16 }),
    ];
    assert.ok(nets[0] instanceof CpuResNet);
    assert.ok(nets[1] instanceof IResNet);
    assert.ok(nets[2] instanceof MobileFaceNet);
    nets.forEach((net) => net.dispose());
  });

  it('lists the valid names for an unknown one', () => {
    assert.throws(
      () => createBackbone('resnet50'),
      (error: Error) =>
        error instanceof BackboneError &&
        error.message ===
          'createBackbone: name must be one of cpu_resnet, iresnet18, ' +
            'iresnet34, iresnet50, iresnet100, mobilefacenet, but got ' +
            "'resnet50'",
    );
  });

  it("rejects settings of another family's backbone", () => {
    assert.throws(
      () => createBackbone('cpu_resnet', { dropout: 0.2 }),
      /fields of cpu_resnet must be among inputSize, .*, but got 'dropout'/,
    );
    assert.throws(
      () => createBackbone('iresnet18', { stageChannels: [8] }),
      /config fields of iresnet18 must be among .*baseWidth.*'stageChannels'/,
    );
  });

  it('ignores fields set to undefined and validates values', () => {
    const net = createBackbone('mobilefacenet', {
      inputSize: 16,
      dropout: undefined,
    });
    net.dispose();
    assert.throws(
      () => createBackbone('iresnet18', { inputSize: 0 }),
      /IResNet: inputSize must be a positive integer, but got 0/,
    );
  });
});
