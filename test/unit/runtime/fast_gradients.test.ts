import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { initRuntime } from '../../../kernels/subface/runtime';
import {
  FAST_GRADIENT_KERNELS,
  fastGradientsInstalled,
  installFastGradients,
  uninstallFastGradients,
} from '../../../kernels/subface/runtime/fast_gradients';
import { SeededRandom } from '../../../kernels/subface/runtime/random';

/**
 * Largest |wasm - cpu| allowed, relative to the largest |cpu| entry. Both
 * sides sum the same float32 products in different orders; 1e-4 leaves
 * room for that and nothing else.
 */
const RELATIVE_TOLERANCE = 1e-4;

type Arrays = { shape: number[]; values: Float32Array }[];
type LossFn = (...inputs: tf.Tensor[]) => tf.Scalar;

function randomArrays(seed: number, shapes: number[][]): Arrays {
  const random = new SeededRandom(seed);
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () => random.normal());
    return { shape, values };
  });
}

/** Gradients of `loss` w.r.t. every input, computed on `backend`. */
async function gradientsOn(
  backend: string,
  loss: LossFn,
  inputs: Arrays,
): Promise<Float32Array[]> {
  assert.ok(await tf.setBackend(backend), `could not start ${backend}`);
  return tf.tidy(() => {
    const tensors = inputs.map((a) => tf.tensor(a.values, a.shape));
    const grads = tf.grads(loss)(tensors);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

function assertClose(actual: Float32Array, expected: Float32Array): void {
  assert.equal(actual.length, expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  assert.ok(scale > 0, 'the reference gradient is all zeros');
  assert.ok(
    worst <= RELATIVE_TOLERANCE * scale,
    `max |wasm - cpu| = ${worst} exceeds ${RELATIVE_TOLERANCE} * ${scale}`,
  );
}

/**
 * Checks every input's gradient on wasm (fast path) against cpu (tfjs'
 * own gradients). The loss weights the output with random values so
 * that dy differs from pixel to pixel.
 */
async function checkAgainstCpu(
  seed: number,
  shapes: number[][],
  outputShape: number[],
  forward: (...inputs: tf.Tensor[]) => tf.Tensor,
): Promise<void> {
  const [weights] = randomArrays(seed + 1000, [outputShape]);
  const loss: LossFn = (...inputs) => {
    const output = forward(...inputs);
    assert.deepEqual(output.shape, outputShape);
    return tf.sum(tf.mul(output, tf.tensor(weights.values, outputShape)));
  };
  const inputs = randomArrays(seed, shapes);
  const expected = await gradientsOn('cpu', loss, inputs);
  const actual = await gradientsOn('wasm', loss, inputs);
  expected.forEach((e, i) => assertClose(actual[i], e));
}

type Pad =
  'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

function conv(
  stride: number | [number, number],
  pad: Pad,
): (x: tf.Tensor, filter: tf.Tensor) => tf.Tensor {
  return (x, filter) =>
    tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, pad);
}

function depthwise(
  stride: number,
  pad: Pad,
): (x: tf.Tensor, filter: tf.Tensor) => tf.Tensor {
  return (x, filter) =>
    tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, pad);
}

describe('installFastGradients', () => {
  before(async () => {
    await initRuntime({ backend: 'wasm' });
    installFastGradients();
  });

  it('is installed after the call, and a second call changes nothing', () => {
    const before = tf.getGradient('Conv2D');
    installFastGradients();
    assert.ok(fastGradientsInstalled());
    assert.equal(tf.getGradient('Conv2D'), before);
    for (const name of FAST_GRADIENT_KERNELS) {
      assert.ok(tf.getGradient(name), `${name} has a gradient`);
    }
  });

  it('puts the original gradients back when uninstalled', () => {
    const wrapped = tf.getGradient('Conv2D');
    uninstallFastGradients();
    assert.ok(!fastGradientsInstalled());
    assert.notEqual(tf.getGradient('Conv2D'), wrapped);
    installFastGradients();
    assert.ok(fastGradientsInstalled());
  });

  it('matches the cpu gradient of a 3x3 conv2d with same padding', () =>
    checkAgainstCpu(
      1,
      [
        [2, 7, 7, 5],
        [3, 3, 5, 6],
      ],
      [2, 7, 7, 6],
      conv(1, 'same'),
    ));

  it('matches the cpu gradient of a strided conv2d on an odd size', () =>
    checkAgainstCpu(
      2,
      [
        [2, 9, 9, 3],
        [3, 3, 3, 5],
      ],
      [2, 5, 5, 5],
      conv(2, 'same'),
    ));

  it('matches the cpu gradient of a strided conv2d on an even size', () =>
    checkAgainstCpu(
      3,
      [
        [2, 8, 8, 3],
        [3, 3, 3, 7],
      ],
      [2, 4, 4, 7],
      conv(2, 'same'),
    ));

  it('matches the cpu gradient of a strided conv2d with valid padding', () =>
    checkAgainstCpu(
      4,
      [
        [2, 8, 8, 3],
        [3, 3, 3, 5],
      ],
      [2, 3, 3, 5],
      conv(2, 'valid'),
    ));

  it('matches the cpu gradient of a strided conv2d with explicit padding', () =>
    checkAgainstCpu(
      5,
      [
        [2, 7, 7, 6],
        [3, 3, 6, 10],
      ],
      [2, 4, 4, 10],
      conv(2, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]),
    ));

  it('matches the cpu gradient of 1x1 conv2d at stride 1 and 2', async () => {
    await checkAgainstCpu(
      6,
      [
        [2, 5, 5, 6],
        [1, 1, 6, 3],
      ],
      [2, 5, 5, 3],
      conv(1, 'valid'),
    );
    await checkAgainstCpu(
      7,
      [
        [2, 7, 7, 6],
        [1, 1, 6, 3],
      ],
      [2, 4, 4, 3],
      conv(2, 'valid'),
    );
    await checkAgainstCpu(
      8,
      [
        [2, 8, 8, 6],
        [1, 1, 6, 3],
      ],
      [2, 4, 4, 3],
      conv(2, 'same'),
    );
  });

  it('matches the cpu gradient of a non-square conv2d', () =>
    checkAgainstCpu(
      9,
      [
        [1, 9, 6, 3],
        [3, 2, 3, 4],
      ],
      [1, 5, 6, 4],
      conv([2, 1], 'same'),
    ));

  it('matches the cpu gradient at stride 3 with kernels 2 and 5', async () => {
    await checkAgainstCpu(
      20,
      [
        [2, 11, 10, 3],
        [5, 5, 3, 4],
      ],
      [2, 4, 4, 4],
      conv(3, 'same'),
    );
    await checkAgainstCpu(
      21,
      [
        [2, 11, 10, 3],
        [2, 2, 3, 4],
      ],
      [2, 4, 3, 4],
      conv(3, 'valid'),
    );
    await checkAgainstCpu(
      22,
      [
        [1, 10, 9, 2],
        [5, 3, 2, 3],
      ],
      [1, 3, 3, 3],
      conv(
        [3, 3],
        [
          [0, 0],
          [2, 1],
          [0, 2],
          [0, 0],
        ],
      ),
    );
  });

  it('matches the cpu gradient of a transposed conv2d', async () => {
    const transposed = (dy: tf.Tensor, filter: tf.Tensor) =>
      tf.conv2dTranspose(
        dy as tf.Tensor4D,
        filter as tf.Tensor4D,
        [2, 7, 7, 3],
        2,
        'same',
      );
    await checkAgainstCpu(
      10,
      [
        [2, 4, 4, 5],
        [3, 3, 3, 5],
      ],
      [2, 7, 7, 3],
      transposed,
    );
  });

  it('matches the cpu gradient of a depthwise conv with stride 1', () =>
    checkAgainstCpu(
      11,
      [
        [2, 7, 7, 5],
        [3, 3, 5, 1],
      ],
      [2, 7, 7, 5],
      depthwise(1, 'same'),
    ));

  it('matches the cpu gradient of a strided depthwise conv', async () => {
    await checkAgainstCpu(
      12,
      [
        [2, 9, 9, 3],
        [3, 3, 3, 1],
      ],
      [2, 5, 5, 3],
      depthwise(2, 'same'),
    );
    await checkAgainstCpu(
      13,
      [
        [2, 8, 8, 3],
        [3, 3, 3, 2],
      ],
      [2, 3, 3, 6],
      depthwise(2, 'valid'),
    );
  });

  it('matches the cpu gradient of matMul for each transpose', async () => {
    const cases: [boolean, boolean, number[], number[]][] = [
      [false, false, [6, 5], [5, 7]],
      [false, true, [6, 5], [7, 5]],
      [true, false, [5, 6], [5, 7]],
      [true, true, [5, 6], [7, 5]],
      [false, true, [3, 6, 5], [3, 7, 5]],
      [true, false, [3, 5, 6], [3, 5, 7]],
    ];
    for (const [transposeA, transposeB, shapeA, shapeB] of cases) {
      const outputShape = [...shapeA.slice(0, -2), 6, 7];
      await checkAgainstCpu(14, [shapeA, shapeB], outputShape, (a, b) =>
        tf.matMul(a, b, transposeA, transposeB),
      );
    }
  });

  it('matches the cpu gradient of gather with repeated indices', async () => {
    const indices = [3, 0, 3, 1, 3];
    const gatherAlong = (axis: number) => (x: tf.Tensor) =>
      tf.gather(x, tf.tensor1d(indices, 'int32'), axis);
    await checkAgainstCpu(15, [[4, 6]], [5, 6], gatherAlong(0));
    await checkAgainstCpu(16, [[2, 4, 3]], [2, 5, 3], gatherAlong(1));
  });

  it('does not leak tensors', async () => {
    assert.ok(await tf.setBackend('wasm'));
    const [x, filter] = randomArrays(17, [
      [2, 7, 7, 3],
      [3, 3, 3, 4],
    ]).map((a) => tf.tensor(a.values, a.shape));
    const weights = tf.ones([3, 4]);
    const before = tf.memory().numTensors;
    const grads = tf.grads((xs: tf.Tensor, fs: tf.Tensor) => {
      const y = tf.conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, 2, 'same');
      const d = tf.depthwiseConv2d(y, tf.ones([3, 3, 4, 1]), 1, 'same');
      const pooled = tf.mean(d, [1, 2]); // [2, 4]
      return tf.sum(tf.matMul(pooled, weights, false, true));
    })([x, filter]);
    tf.dispose(grads);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, filter, weights]);
  });
});
