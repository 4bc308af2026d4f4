import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  DecodedImage,
  ResizeOptions,
  VerificationSet,
} from '../../../kernels/subface/data/types';
import {
  embedImages,
  embedVerificationSet,
  EvalError,
  evaluateVerificationSet,
  formatSetEvaluation,
} from '../../../kernels/subface/eval';
import { assertClose } from './helpers';

/** float32 tfjs matMul vs the float64 fusion written out here. */
const EMBED_TOL = 1e-5;
const SIZE = 4;
const DIM = 5;

/** An asymmetric image, so its mirror image embeds differently. */
function pixelsOf(index: number): Uint8Array {
  return Uint8Array.from(
    { length: SIZE * SIZE * 3 },
    (_, k) => (index * 37 + k * k * 11 + (k % 5) * 23) % 256,
  );
}

function fakeSet(numPairs: number, folds: Int32Array | null = null) {
  const set: VerificationSet = {
    name: 'fake',
    numPairs,
    issame: Array.from({ length: numPairs }, (_, p) => p % 3 !== 0),
    folds,
    async readImage(index: number, resize: ResizeOptions) {
      const image: DecodedImage = {
        pixels: pixelsOf(index),
        height: resize.size,
        width: resize.size,
        channels: 3,
      };
      return image;
    },
    async sha256() {
      return 'f00d';
    },
  };
  return set;
}

/** A fixed linear "backbone": [48] -> [5]. */
const weights = Array.from({ length: SIZE * SIZE * 3 * DIM }, (_, k) =>
  Math.sin(k * 0.7),
);
function linearEmbed(images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const flat = tf.reshape(images, [images.shape[0], -1]); // [b, 48]
    const w = tf.tensor2d(weights, [SIZE * SIZE * 3, DIM]);
    return tf.matMul(flat, w) as tf.Tensor2D; // [b, 5]
  });
}

/** The same backbone in float64, on normalised HWC pixels. */
function rawEmbedding(pixels: Uint8Array, mirror: boolean): number[] {
  const out = new Array(DIM).fill(0);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      for (let c = 0; c < 3; c++) {
        const sourceX = mirror ? SIZE - 1 - x : x;
        const value = (pixels[(y * SIZE + sourceX) * 3 + c] / 255 - 0.5) / 0.5;
        const k = (y * SIZE + x) * 3 + c;
        for (let j = 0; j < DIM; j++) out[j] += value * weights[k * DIM + j];
      }
    }
  }
  return out;
}

function unit(v: number[]): number[] {
  const length = Math.hypot(...v);
  return v.map((x) => x / length);
}

const resize = { size: SIZE };

describe('embedImages', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('fuses normalize(raw + raw of the mirror image)', async () => {
    const set = fakeSet(7);
    const result = await embedVerificationSet(set, linearEmbed, {
      resize,
      batchSize: 4,
    });
    assert.equal(result.numImages, 14);
    assert.equal(result.embeddingDim, DIM);

    let normSum = 0;
    for (let i = 0; i < 14; i++) {
      const a = rawEmbedding(pixelsOf(i), false);
      const b = rawEmbedding(pixelsOf(i), true);
      assert.ok(Math.abs(a[0] - b[0]) > 1e-3, 'flip must matter here');
      const fused = unit(a.map((v, j) => v + b[j]));
      const row = result.embeddings.subarray(i * DIM, (i + 1) * DIM);
      assertClose(row, fused, EMBED_TOL, `fused ${i}`);
      const plain = result.embeddingsNoFlip.subarray(i * DIM, (i + 1) * DIM);
      assertClose(plain, unit(a), EMBED_TOL, `no flip ${i}`);
      normSum += Math.hypot(...a) + Math.hypot(...b);
    }
    assertClose([result.xNorm], [normSum / 28], 1e-4, 'xNorm');
  });

  it('gives the same rows whatever the batch size', async () => {
    const set = fakeSet(7);
    const whole = await embedVerificationSet(set, linearEmbed, { resize });
    for (const batchSize of [1, 3, 13]) {
      const batched = await embedVerificationSet(set, linearEmbed, {
        resize,
        batchSize,
      });
      assertClose(batched.embeddings, whole.embeddings, 1e-6, 'rows');
    }
  });

  it('uses the originals only when flip is false', async () => {
    const set = fakeSet(5);
    const result = await embedVerificationSet(set, linearEmbed, {
      resize,
      flip: false,
    });
    assert.equal(result.flip, false);
    assert.deepEqual(result.embeddings, result.embeddingsNoFlip);
  });

  it('does not leak tensors, even when embed fails', async () => {
    const set = fakeSet(6);
    const before = tf.memory().numTensors;
    await embedVerificationSet(set, linearEmbed, { resize, batchSize: 5 });
    assert.equal(tf.memory().numTensors, before);

    const dropsARow = (images: tf.Tensor4D) =>
      tf.tidy(() => linearEmbed(images).slice([1, 0], [-1, -1]));
    await assert.rejects(
      embedVerificationSet(set, dropsARow as never, { resize }),
      /embed output rows must be 12/,
    );
    assert.equal(tf.memory().numTensors, before);
  });

  it('rejects images of the wrong size and bad options', async () => {
    const read = async (): Promise<DecodedImage> => ({
      pixels: new Uint8Array(5 * 5 * 3),
      height: 5,
      width: 5,
      channels: 3,
    });
    await assert.rejects(
      embedImages(2, read, linearEmbed, { resize }),
      /embedImages: image 0 must be 4x4x3, but got \[5, 5, 3\]/,
    );
    await assert.rejects(
      embedImages(2, read, linearEmbed, { batchSize: 0 }),
      EvalError,
    );
  });
});

describe('evaluateVerificationSet', () => {
  it('verifies flip-fused and plain embeddings, with the sha256', async () => {
    const folds = Int32Array.from({ length: 20 }, (_, p) => p % 10);
    const set = fakeSet(20, folds);
    const evaluation = await evaluateVerificationSet(set, linearEmbed, {
      resize,
    });
    assert.equal(evaluation.sha256, 'f00d');
    assert.equal(evaluation.result.sha256, 'f00d');
    assert.equal(evaluation.result.foldsSource, 'list');
    assert.equal(evaluation.result.flip, true);
    assert.ok(evaluation.resultNoFlip !== null);
    assert.equal(evaluation.resultNoFlip.flip, false);

    const text = formatSetEvaluation(evaluation);
    assert.match(text, /^\[fake\]Accuracy-Flip: \d\.\d{5}\+-\d\.\d{5}$/m);
    assert.match(text, /^\[fake\]Accuracy: \d\.\d{5}\+-\d\.\d{5}$/m);
    assert.match(text, /sha256 f00d/);

    const kfold = await evaluateVerificationSet(set, linearEmbed, {
      resize,
      folds: 'kfold',
    });
    assert.equal(kfold.result.foldsSource, 'kfold-contiguous');
  });

  it('takes 1-based list folds (LFW) as fold ids', async () => {
    const folds = Int32Array.from({ length: 20 }, (_, p) => 1 + (p >> 1));
    const evaluation = await evaluateVerificationSet(
      fakeSet(20, folds),
      linearEmbed,
      { resize },
    );
    assert.equal(evaluation.result.foldsSource, 'list');
    assert.equal(evaluation.result.numFolds, 10);
  });

  it('falls back to KFold for a list with one fold', async () => {
    const oneFold = new Int32Array(20).fill(1);
    const set = fakeSet(20, oneFold);
    const evaluation = await evaluateVerificationSet(set, linearEmbed, {
      resize,
    });
    assert.equal(evaluation.result.foldsSource, 'kfold-contiguous');
    await assert.rejects(
      evaluateVerificationSet(set, linearEmbed, { resize, folds: 'list' }),
      /at least 2 distinct folds .* but got 1/,
    );
  });
});
