/**
 * Checks every backbone must pass: batch statistics in training mode only,
 * a leak-free optimizer step, and the same gradients on wasm and cpu.
 */
import { strict as assert } from 'node:assert';

import * as tf from '@tensorflow/tfjs';

import { Backbone } from '../../../kernels/subface/backbones';

/** Relative tolerance between wasm and cpu gradients of a whole net. */
const GRADIENT_RTOL = 1e-3;

/** Fraction of the largest gradient below which a tensor is noise. */
const NOISE_FLOOR = 1e-2;

function largest(values: Float32Array): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}

/** Seeded images [batch, size, size, 3] with mean 0.5 and std 1. */
export function randomImages(batch: number, size: number): tf.Tensor4D {
  return tf.randomNormal([batch, size, size, 3], 0.5, 1, 'float32', 11);
}

/**
 * In training mode the embedding BN (scale 1, offset 0 at init) gives
 * every dimension zero mean over the batch and moves the moving averages;
 * in inference mode neither happens.
 */
export function checkBatchStatistics(net: Backbone): void {
  const images = randomImages(6, net.inputSize);
  const snapshot = () =>
    net.nonTrainableWeights.map((v) => v.dataSync().slice());
  const before = snapshot();

  const inference = net.apply(images, { training: false });
  assert.deepEqual(snapshot(), before);
  const inferenceMeans = tf.mean(inference, 0).dataSync();
  assert.ok(inferenceMeans.some((m) => Math.abs(m) > 1e-3));

  const training = net.apply(images, { training: true });
  const columnMeans = tf.mean(training, 0).dataSync();
  assert.ok(columnMeans.every((m) => Math.abs(m) < 1e-4));
  assert.notDeepEqual(snapshot(), before);
  tf.dispose([images, inference, training]);
}

/**
 * Two momentum steps run on the active backend (no kernel missing), give
 * finite weights, and the second leaves the tensor count unchanged.
 */
export function checkTrainingStep(net: Backbone): void {
  const images = randomImages(2, net.inputSize);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const step = () =>
    optimizer.minimize(
      () => tf.sum(tf.square(net.apply(images, { training: true }))),
      false,
      net.trainableWeights,
    );
  step(); // creates the optimizer's momentum slots
  const before = tf.memory().numTensors;
  step();
  assert.equal(tf.memory().numTensors, before);
  for (const v of net.trainableWeights) {
    assert.ok(v.dataSync().every(Number.isFinite), v.name);
  }
  optimizer.dispose();
  images.dispose();
}

async function lossGradients(
  backend: string,
  net: Backbone,
  images: tf.Tensor4D,
): Promise<Float32Array[]> {
  assert.ok(await tf.setBackend(backend));
  return tf.tidy(() => {
    const target = tf.randomNormal(
      [images.shape[0], net.embeddingDim],
      0,
      1,
      'float32',
      9,
    );
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(net.apply(images, { training: true }), target)),
      net.trainableWeights,
    );
    return net.trainableWeights.map(
      (v) => grads[v.name].dataSync() as Float32Array,
    );
  });
}

/**
 * The wasm gradients (fast formulations) match tfjs' own on cpu within
 * `tolerance`, relative to each tensor's largest gradient. Leaves wasm
 * active.
 */
export async function checkWasmGradients(
  net: Backbone,
  tolerance = GRADIENT_RTOL,
): Promise<void> {
  const images = randomImages(4, net.inputSize);
  const expected = await lossGradients('cpu', net, images);
  const actual = await lossGradients('wasm', net, images);
  // Gradients that are pure cancellation (BN offsets feeding another BN)
  // are compared on the scale of the largest gradient.
  const globalScale = Math.max(...expected.map(largest));
  expected.forEach((e, i) => {
    const scale = Math.max(largest(e), globalScale * NOISE_FLOOR);
    let worst = 0;
    e.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - actual[i][j]));
    });
    assert.ok(
      worst <= tolerance * scale,
      `${net.trainableWeights[i].name}: ${worst} > ${tolerance} * ${scale}`,
    );
  });
  images.dispose();
}
