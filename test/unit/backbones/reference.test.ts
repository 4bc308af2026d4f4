import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  createBackbone,
  IResNet,
  MobileFaceNet,
} from '../../../kernels/subface/backbones';
import { initRuntime } from '../../../kernels/subface/runtime';
import {
  CountCase,
  loadBackboneReference,
  loadRecipe,
  referenceImages,
  relativeError,
} from './reference_helpers';

/** float32 tfjs vs float64 PyTorch, relative to the largest output. */
const FORWARD_RTOL = 1e-4;

const reference = loadBackboneReference();

function nonTrainableSize(net: { nonTrainableWeights: tf.Variable[] }) {
  return net.nonTrainableWeights.reduce((sum, v) => sum + v.size, 0);
}

/** The frozen BN1d scale: part of PyTorch's parameters, not trainable. */
function frozenSize(c: CountCase): number {
  return c.params - c.trainable;
}

describe('backbones against the PyTorch reference', () => {
  before(async () => {
    await initRuntime({ backend: 'wasm' });
  });

  // The input size only changes the FC's width, which iresnet18 covers at
  // 56 and 32; building the deep nets twice would cost seconds each.
  const counted = reference.counts.filter(
    (c) =>
      c.config.inputSize === 112 ||
      !['iresnet34', 'iresnet50', 'iresnet100'].includes(c.architecture),
  );
  for (const c of counted) {
    const { architecture, config } = c;
    it(`counts the parameters of ${architecture} at ${JSON.stringify(
      config,
    )}`, () => {
      const net = createBackbone(architecture, config);
      assert.equal(net.countParams(), c.trainable);
      assert.equal(nonTrainableSize(net), c.buffers + frozenSize(c));
      net.dispose();
    });
  }

  it('freezes only the scale of the iResNet embedding BN', () => {
    const c = reference.counts.find((r) => r.architecture === 'iresnet50');
    assert.ok(c !== undefined);
    assert.equal(frozenSize(c), c.config.embeddingDim);
    const mobile = reference.counts.find(
      (r) => r.architecture === 'mobilefacenet',
    );
    assert.equal(mobile?.params, mobile?.trainable);
  });

  for (const f of reference.forward) {
    it(`computes the reference ${f.architecture} function`, () => {
      const net =
        f.architecture === 'mobilefacenet'
          ? new MobileFaceNet(f.config)
          : new IResNet('iresnet18', f.config);
      assert.equal(f.architecture, net.architecture);
      loadRecipe(net.namedWeights(), f.recipe);
      const images = referenceImages(f.batch, f.config.inputSize);

      const inference = net.apply(images, { training: false });
      const inferenceError = relativeError(inference, f.inference);
      assert.ok(inferenceError < FORWARD_RTOL, `eval ${inferenceError}`);
      const training = net.apply(images, { training: true });
      const trainingError = relativeError(training, f.training);
      assert.ok(trainingError < FORWARD_RTOL, `train ${trainingError}`);
      tf.dispose([images, inference, training]);
      net.dispose();
    });
  }
});
