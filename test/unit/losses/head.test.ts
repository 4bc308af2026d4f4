import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  HeadConfig,
  LossError,
  MarginSoftmaxHead,
  SubFaceConfig,
  SubFaceHead,
} from '../../../kernels/subface/losses';
import { assertClose, LOSS_RTOL, useCpu } from './helpers';

const BATCH = 6;
const DIM = 12;
const NUM_CLASSES = 9;
const LABELS = [0, 3, 3, 8, 1, 5];

function makeHead(
  subface: SubFaceConfig = {},
  extra: Partial<HeadConfig> = {},
) {
  return new SubFaceHead({
    numClasses: NUM_CLASSES,
    embeddingDim: DIM,
    seed: 7,
    subface,
    ...extra,
  });
}

function makeRaw(seed = 1): tf.Tensor2D {
  return tf.randomNormal([BATCH, DIM], 0, 1, 'float32', seed) as tf.Tensor2D;
}

/** One trainer-style step; returns the loss and disposes the gradients. */
function step(
  head: MarginSoftmaxHead,
  raw: tf.Tensor2D,
  labels = LABELS,
): number {
  const { value, grads } = tf.variableGrads(
    () => head.loss(raw, labels),
    head.trainableVariables(),
  );
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

describe('SubFaceHead', () => {
  before(useCpu);

  it('renormalises sub-features inside the subspace', () => {
    const head = makeHead();
    const dims = Int32Array.from([0, 2, 5, 7, 9, 11]);
    const draw = {
      classIndex: null,
      blocks: [{ rowStart: 0, rowEnd: BATCH, dims }],
    };
    const raw = makeRaw();
    // Rescaling the kept coordinates of a row, or changing the dropped
    // ones, must not change a loss built from renormalised sub-vectors.
    const scale = Array.from({ length: DIM }, (_, j) =>
      dims.includes(j) ? 3 : -40,
    );
    const changed = tf.tidy(() =>
      tf.add(tf.mul(raw, tf.tensor1d(scale)), 0),
    ) as tf.Tensor2D;
    const [a, b] = tf.tidy(() => [
      head.lossWithDraw(raw, LABELS, draw).dataSync()[0],
      head.lossWithDraw(changed, LABELS, draw).dataSync()[0],
    ]);
    assertClose([b], [a], LOSS_RTOL, 0, 'loss');
    tf.dispose([raw, changed]);
    head.dispose();
  });

  for (const select of ['gather', 'mask'] as const) {
    it(`gives zero centre gradient off the drawn dims (${select})`, () => {
      const head = makeHead({ select });
      const dims = Int32Array.from([1, 4, 6, 10]);
      const draw = {
        classIndex: null,
        blocks: [{ rowStart: 0, rowEnd: BATCH, dims }],
      };
      const raw = makeRaw();
      const { grads } = tf.variableGrads(
        () => head.lossWithDraw(raw, LABELS, draw),
        head.trainableVariables(),
      );
      const grad = grads[
        head.centers.classCenters.name
      ].arraySync() as number[][];
      for (const row of grad) {
        row.forEach((value, dim) => {
          if (dims.includes(dim)) assert.notEqual(value, 0);
          else assert.equal(value, 0, `dim ${dim}`);
        });
      }
      tf.dispose([raw, ...Object.values(grads)]);
      head.dispose();
    });
  }

  it('gives the same loss with gather and mask selection', () => {
    const gather = makeHead({
      select: 'gather',
      sampler: 'partition',
      ratio: 0.4,
    });
    const mask = makeHead({ select: 'mask', sampler: 'partition', ratio: 0.4 });
    const raw = makeRaw(3);
    const values = [step(gather, raw), step(mask, raw)];
    assertClose([values[1]], [values[0]], LOSS_RTOL, 0, 'loss');
    raw.dispose();
    gather.dispose();
    mask.dispose();
  });

  it('evaluates with the full embedding', () => {
    const head = makeHead({ ratio: 0.3 });
    const raw = makeRaw(4);
    const cosines = head.cosines(raw);
    const expected = tf.tidy(() => {
      const weights = head.getWeights();
      const e = tf.div(raw, tf.norm(raw, 2, 1, true));
      const w = tf.div(
        weights.classCenters,
        tf.norm(weights.classCenters, 2, 1, true),
      );
      return tf.matMul(e, w, false, true);
    });
    assertClose(cosines.dataSync(), expected.dataSync(), 0, 1e-5, 'cosines');
    tf.dispose([raw, cosines, expected]);
    head.dispose();
  });

  it('mixes the full-feature loss with lambda (extension)', () => {
    const dims = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const draw = {
      classIndex: null,
      blocks: [{ rowStart: 0, rowEnd: BATCH, dims }],
    };
    const raw = makeRaw(5);
    const [full, sub, mixed] = tf.tidy(() => {
      const only = makeHead({ lambda: 0 });
      const plain = new MarginSoftmaxHead({
        numClasses: NUM_CLASSES,
        embeddingDim: DIM,
        seed: 7,
      });
      const mix = makeHead({ lambda: 0.25 });
      const values = [
        plain
          .lossWithDraw(raw, LABELS, { classIndex: null, blocks: null })
          .dataSync()[0],
        only.lossWithDraw(raw, LABELS, draw).dataSync()[0],
        mix.lossWithDraw(raw, LABELS, draw).dataSync()[0],
      ];
      [only, plain, mix].forEach((head) => head.dispose());
      return values;
    });
    assertClose([mixed], [0.25 * full + 0.75 * sub], LOSS_RTOL, 0, 'mixed');
    raw.dispose();
  });

  it('draws more dims as the linear schedule ramps r to 1', () => {
    const head = makeHead({ ratio: 0.5, schedule: 'linear', totalSteps: 4 });
    const ratios: number[] = [];
    const raw = makeRaw();
    for (let i = 0; i <= 4; i++) {
      ratios.push(head.currentRatio());
      step(head, raw);
    }
    assert.deepEqual(ratios, [0.5, 0.625, 0.75, 0.875, 1]);
    raw.dispose();
    head.dispose();
  });

  it('continues identically after saving and restoring its state', () => {
    for (const sampler of ['exact', 'cyclic', 'bernoulli'] as const) {
      const config = { sampler, ratio: 0.4 };
      const extra = { partialFc: { sampleRate: 0.5 } };
      const head = makeHead(config, extra);
      const raw = makeRaw(6);
      step(head, raw);
      step(head, raw);
      const saved = JSON.parse(JSON.stringify(head.getState()));
      const expected = [step(head, raw), step(head, raw)];

      const restored = makeHead(config, { ...extra, seed: 123 });
      const weights = head.getWeights();
      restored.setWeights(weights);
      tf.dispose([weights.classCenters, weights.bias]);
      restored.setState(saved);
      assert.equal(restored.stepCount, 2);
      assertClose(
        [step(restored, raw), step(restored, raw)],
        expected,
        1e-6,
        0,
        sampler,
      );
      raw.dispose();
      head.dispose();
      restored.dispose();
    }
  });

  it('does not leak tensors', () => {
    const configs: [SubFaceConfig, Partial<HeadConfig>][] = [
      [{}, {}],
      [{ select: 'mask' }, {}],
      [
        { sampler: 'partition', ratio: 0.3 },
        { partialFc: { sampleRate: 0.5 } },
      ],
      [{ lambda: 0.5 }, { margin: { kind: 'softmax' } }],
      [{}, { layout: 'dimMajor', margin: { kind: 'cosface' } }],
    ];
    const raw = makeRaw();
    for (const [subface, extra] of configs) {
      const head = makeHead(subface, extra);
      step(head, raw);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step(head, raw);
      const cosines = head.cosines(raw);
      cosines.dispose();
      assert.equal(
        tf.memory().numTensors,
        before,
        JSON.stringify([subface, extra]),
      );
      head.dispose();
    }
    raw.dispose();
  });

  it('lowers the loss under a few SGD steps', () => {
    const head = makeHead(
      { ratio: 0.5 },
      { margin: { kind: 'cosface', scale: 16 } },
    );
    const raw = makeRaw(8);
    const optimizer = tf.train.sgd(0.5);
    const losses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const value = optimizer.minimize(
        () => head.loss(raw, LABELS),
        true,
        head.trainableVariables(),
      );
      losses.push(value!.dataSync()[0]);
      value!.dispose();
    }
    assert.ok(
      losses[14] < losses[0] * 0.8,
      losses.map((l) => l.toFixed(2)).join(' '),
    );
    optimizer.dispose();
    raw.dispose();
    head.dispose();
  });
});

describe('head input checks', () => {
  before(useCpu);

  it('rejects float labels (insightface#1437)', () => {
    const head = makeHead();
    const raw = makeRaw();
    const labels = tf.tensor1d([0, 3, 3, 8, 1, 5], 'float32');
    assert.throws(
      () => head.loss(raw, labels as tf.Tensor1D),
      (error: Error) =>
        error instanceof LossError &&
        /labels dtype must be 'int32' .*, but got 'float32'/.test(
          error.message,
        ),
    );
    assert.throws(() => head.loss(raw, [0, 3, 3.5, 8, 1, 5]), {
      message: /labels must be integers, but got 3.5 at position 2/,
    });
    assert.equal(head.stepCount, 0);
    tf.dispose([raw, labels]);
    head.dispose();
  });

  it('rejects labels >= numClasses, naming the label and its position', () => {
    const head = makeHead();
    const raw = makeRaw();
    assert.throws(() => head.loss(raw, [0, 3, 3, 9, 1, 5]), {
      message: /labels must be in \[0, 9\) or -1 .*, but got 9 at position 3/,
    });
    assert.throws(() => head.loss(raw, Int32Array.from([0, -2, 3, 8, 1, 5])), {
      message: /but got -2 at position 1/,
    });
    assert.throws(() => head.loss(raw, [0, 1]), {
      message: /labels length must be the batch size 6, but got 2/,
    });
    raw.dispose();
    head.dispose();
  });

  it('accepts int32 label tensors and -1 rows, which add no loss', () => {
    const head = makeHead();
    const raw = makeRaw();
    const labels = tf.tensor1d([-1, -1, -1, -1, -1, -1], 'int32');
    const { value, grads } = tf.variableGrads(
      () => head.loss(raw, labels as tf.Tensor1D),
      head.trainableVariables(),
    );
    assert.equal(value.dataSync()[0], 0);
    assert.ok(
      Object.values(grads).every((g) => g.dataSync().every((v) => v === 0)),
    );
    tf.dispose([raw, labels, value, ...Object.values(grads)]);
    head.dispose();
  });

  it('rejects embeddings of the wrong width, rank or dtype', () => {
    const head = makeHead();
    const narrow = tf.zeros([BATCH, DIM - 1]) as tf.Tensor2D;
    const ints = tf.zeros([BATCH, DIM], 'int32') as tf.Tensor2D;
    assert.throws(() => head.loss(narrow, LABELS), {
      message:
        /rawEmbeddings shape must be \[batch, 12\] .*, but got \[6, 11\]/,
    });
    assert.throws(() => head.loss(ints, LABELS), {
      message: /dtype must be 'float32'/,
    });
    tf.dispose([narrow, ints]);
    head.dispose();
  });

  it('rejects unknown config keys and bad draws', () => {
    assert.throws(
      () =>
        new SubFaceHead({
          numClasses: 3,
          embeddingDim: 4,
          subfce: {},
        } as HeadConfig),
      { message: /option 'subfce' must be one of/ },
    );
    const head = makeHead();
    const raw = makeRaw();
    assert.throws(
      () =>
        head.lossWithDraw(raw, LABELS, {
          classIndex: Int32Array.from([0, 1, 3]),
          blocks: null,
        }),
      { message: /must be a superset of the batch labels, but got 8/ },
    );
    raw.dispose();
    head.dispose();
  });
});
