import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  logSumExpRows,
  MarginConfig,
  MarginSoftmaxHead,
  safeAcos,
  safeL2Normalize,
  SubFaceHead,
} from '../../../kernels/subface/losses';
import { assertClose, assertFinite, lossAndGrads, useCpu } from './helpers';

const KINDS: MarginConfig[] = [
  { kind: 'softmax' },
  { kind: 'normface' },
  { kind: 'cosface' },
  { kind: 'arcface' },
  { kind: 'arcface', easyMargin: true },
  { kind: 'combined', m2: 0.3, m3: 0.2 },
  { kind: 'combined', m1: 2, m2: 0.2 },
];

const NUM_CLASSES = 4;
const DIM = 8;

/**
 * Centres and embeddings that put cos = +1 and -1 on targets (rows 0, 1)
 * and on non-targets (rows 2, 3), and a zero embedding (row 4).
 */
function edgeBatch(): {
  centers: number[][];
  raw: number[][];
  labels: Int32Array;
} {
  const centers = Array.from({ length: NUM_CLASSES }, (_, c) =>
    Array.from({ length: DIM }, (_, j) =>
      j === c ? 0.3 : j === c + 4 ? 0.1 : 0,
    ),
  );
  const scaled = (row: number[], by: number) => row.map((v) => v * by);
  const raw = [
    scaled(centers[0], 7), // target cos = +1
    scaled(centers[1], -5), // target cos = -1
    scaled(centers[3], 4), // non-target (class 3) cos = +1
    scaled(centers[2], -3), // non-target (class 2) cos = -1
    new Array(DIM).fill(0), // zero embedding
  ];
  return { centers, raw, labels: Int32Array.from([0, 1, 0, 1, 2]) };
}

describe('numerical safety', () => {
  before(useCpu);

  for (const margin of KINDS) {
    const name = JSON.stringify(margin);
    it(`keeps loss and gradients finite at cos = +-1: ${name}`, () => {
      const { centers, raw, labels } = edgeBatch();
      for (const withSubFace of [false, true]) {
        const config = { numClasses: NUM_CLASSES, embeddingDim: DIM, margin };
        const head = withSubFace
          ? new SubFaceHead({ ...config, subface: { ratio: 0.5 } })
          : new MarginSoftmaxHead(config);
        const weights = head.getWeights();
        const classCenters = tf.tensor2d(centers);
        head.setWeights({ ...weights, classCenters });
        tf.dispose([weights.classCenters, weights.bias, classCenters]);
        const rawTensor = tf.tensor2d(raw);
        const draw = {
          classIndex: null,
          blocks: withSubFace
            ? [
                {
                  rowStart: 0,
                  rowEnd: 5,
                  dims: Int32Array.from([0, 1, 2, 3, 4, 5]),
                },
              ]
            : null,
        };
        const result = lossAndGrads(rawTensor, head.trainableVariables(), (x) =>
          head.lossWithDraw(x, labels, draw),
        );
        assertFinite([result.loss], 'loss');
        assertFinite(result.gradRaw, 'dLoss/dRawEmbeddings');
        result.gradVariables.forEach((grad) => assertFinite(grad, 'dLoss/dW'));
        rawTensor.dispose();
        head.dispose();
      }
    });
  }

  it('keeps a zero class centre finite', () => {
    const head = new MarginSoftmaxHead({
      numClasses: 3,
      embeddingDim: 4,
      initStd: 0,
    });
    const raw = tf.tensor2d([
      [1, 2, 3, 4],
      [0, 0, 0, 0],
    ]);
    const result = lossAndGrads(raw, head.trainableVariables(), (x) =>
      head.loss(x, [0, 2]),
    );
    // All cosines are 0, so phi = cos(pi/2 + m) for the target and the
    // loss is log(C - 1 + e^{s phi}) - s phi.
    const target = 64 * Math.cos(Math.PI / 2 + 0.5);
    const expected = Math.log(2 + Math.exp(target)) - target;
    assert.ok(Math.abs(result.loss - expected) < 1e-4, `${result.loss}`);
    assertFinite(result.gradRaw, 'dLoss/dRawEmbeddings');
    assertFinite(result.gradVariables[0], 'dLoss/dClassCenters');
    raw.dispose();
    head.dispose();
  });

  it('stays finite with s = 64 and 100k classes', () => {
    const numClasses = 100000;
    const head = new MarginSoftmaxHead({
      numClasses,
      embeddingDim: 8,
      margin: { kind: 'arcface', scale: 64 },
      seed: 5,
    });
    const raw = tf.randomNormal([4, 8], 0, 1, 'float32', 3) as tf.Tensor2D;
    const labels = [0, 99999, 12345, 5];
    const result = lossAndGrads(raw, head.trainableVariables(), (x) =>
      head.loss(x, labels),
    );
    assertFinite([result.loss], 'loss');
    // Random 8-d cosines reach ~0.9, so s * cos goes well past ln(C).
    assert.ok(result.loss > Math.log(numClasses - 1), `${result.loss}`);
    assertFinite(result.gradRaw, 'dLoss/dRawEmbeddings');
    assertFinite(result.gradVariables[0], 'dLoss/dClassCenters');
    raw.dispose();
    head.dispose();
  });

  it('gives safeAcos a finite gradient at +-1 and an exact value', () => {
    const x = tf.tensor1d([-1, -0.5, 0, 1]);
    const grad = tf.grad((c: tf.Tensor) => tf.sum(safeAcos(c)))(x);
    assertFinite(grad.dataSync(), 'acos gradient');
    const value = safeAcos(x).dataSync();
    assert.ok(Math.abs(value[3]) < 1e-7 && Math.abs(value[0] - Math.PI) < 1e-6);
    tf.dispose([x, grad]);
  });

  it('normalises a zero vector to zero with a finite gradient', () => {
    const x = tf.tensor2d([
      [0, 0, 0],
      [3, 4, 0],
    ]);
    const out = safeL2Normalize(x);
    assertClose(out.dataSync(), [0, 0, 0, 0.6, 0.8, 0], 0, 1e-7, 'unit');
    const grad = tf.grad((v: tf.Tensor) => tf.sum(safeL2Normalize(v)))(x);
    assertFinite(grad.dataSync(), 'normalise gradient');
    tf.dispose([x, out, grad]);
  });

  it('computes log-sum-exp of s = 64 logits without overflow', () => {
    const logits = tf.tensor2d([
      [64, -64, 63.5],
      [1000, 999, 0],
    ]);
    const values = logSumExpRows(logits).dataSync();
    const expected = [
      64 + Math.log(1 + Math.exp(-128) + Math.exp(-0.5)),
      1000 + Math.log(1 + Math.exp(-1)),
    ];
    assert.ok(Math.abs(values[0] - expected[0]) < 1e-4);
    assert.ok(Math.abs(values[1] - expected[1]) < 1e-3);
    logits.dispose();
  });
});
