import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { aggregationTable } from '../../../kernels/subface/eval/aggregation';
import { pairAggregation } from '../../../kernels/subface/eval/pair_aggregation';
import { projectEmbeddings } from '../../../kernels/subface/eval/projection';
import { verify } from '../../../kernels/subface/eval/verification';
import {
  buildAggregationPayload,
  buildPairViewPayload,
  buildProjectionPayload,
  buildTrainingCurves,
  buildVerificationPayload,
  MAX_NEIGHBOR_POINTS,
  ReportError,
  thinRoc,
} from '../../../kernels/subface/report';

/** Cosine similarity of rows a and b of row-major `rows`, in float64. */
function cosine(rows: Float32Array, dim: number, a: number, b: number) {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let j = 0; j < dim; j++) {
    dot += rows[a * dim + j] * rows[b * dim + j];
    normA += rows[a * dim + j] ** 2;
    normB += rows[b * dim + j] ** 2;
  }
  return dot / Math.sqrt(normA * normB);
}

/** float32 similarities may order near-ties differently from float64. */
const SIMILARITY_TOLERANCE = 1e-5;

/** Unit rows: class c points near axis c, with a little seeded noise. */
function clusteredEmbeddings(numClasses: number, perClass: number, dim = 8) {
  const labels = new Int32Array(numClasses * perClass);
  const rows = new Float32Array(labels.length * dim);
  let state = 7;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  for (let i = 0; i < labels.length; i++) {
    labels[i] = Math.floor(i / perClass);
    let squares = 0;
    for (let j = 0; j < dim; j++) {
      const value = (j === labels[i] % dim ? 1 : 0) + 0.3 * noise();
      rows[i * dim + j] = value;
      squares += value * value;
    }
    for (let j = 0; j < dim; j++) rows[i * dim + j] /= Math.sqrt(squares);
  }
  return { rows, labels, dim };
}

describe('buildTrainingCurves', () => {
  it('orders steps and keeps the latest record of a repeated step', () => {
    const curves = buildTrainingCurves([
      { type: 'step', step: 2, loss: 3, lr: 0.1, samplesPerSecond: 10 },
      { type: 'step', step: 1, loss: 4, lr: 0.1, samplesPerSecond: 10 },
      { type: 'checkpoint', step: 2 },
      { type: 'step', step: 2, loss: 2.5, lr: 0.1, samplesPerSecond: 11 },
      { type: 'eval', step: 2, accuracy: 0.9, accuracyStd: 0.1, set: 's' },
    ]);
    assert.deepEqual(curves.steps, [1, 2]);
    assert.deepEqual(curves.loss, [4, 2.5]);
    assert.deepEqual(curves.evaluations, [
      { step: 2, accuracy: 0.9, accuracyStd: 0.1, set: 's' },
    ]);
  });
});

describe('thinRoc', () => {
  it('drops FPR 0 and caps the points, keeping the last', () => {
    const fpr = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const tpr = fpr.map((f) => Math.sqrt(f));
    const roc = thinRoc(fpr, tpr, 50);
    assert.equal(roc.fpr.length, 50);
    assert.ok(roc.fpr.every((f) => f > 0));
    assert.equal(roc.fpr[49], 1);
    assert.equal(roc.tpr[49], 1);
  });
});

describe('buildVerificationPayload', () => {
  it('carries per-fold thresholds, mean, std and sha256', () => {
    const { rows, dim } = clusteredEmbeddings(10, 12);
    const numPairs = 60;
    const issame = Array.from({ length: numPairs }, (_, i) => i % 2 === 0);
    const result = verify(rows.subarray(0, 2 * numPairs * dim), issame, {
      sha256: 'abc',
      embeddingDim: dim,
    });
    const payload = buildVerificationPayload(
      {
        name: 'set',
        sha256: 'abc',
        result,
        resultNoFlip: null,
        xNorm: 1,
      },
      20,
    );
    assert.equal(payload.folds.length, 10);
    assert.deepEqual(
      payload.folds.map((f) => f.threshold),
      result.folds.map((f) => f.threshold),
    );
    assert.equal(payload.accuracy, result.accuracy);
    assert.equal(payload.accuracyStd, result.accuracyStd);
    assert.equal(payload.sha256, 'abc');
    assert.equal(payload.accuracyNoFlip, null);
    assert.ok(payload.roc.fpr.length <= 20);
    assert.doesNotThrow(() => JSON.stringify(payload));
  });
});

describe('buildProjectionPayload', () => {
  it('gives one view per projection with the cap stated', async () => {
    const { rows, labels } = clusteredEmbeddings(5, 20);
    const pca = await projectEmbeddings(rows, labels, { maxPoints: 30 });
    const payload = buildProjectionPayload([pca], null);
    const [view] = payload.views;
    assert.equal(view.x.length, 30);
    assert.equal(view.labels.length, 30);
    assert.equal(payload.cap.total, 100);
    assert.equal(payload.cap.shown, 30);
    assert.ok(payload.cap.sampled);
    assert.equal(payload.classNames.length, 5);
  });

  it('rejects an empty list', () => {
    assert.throws(() => buildProjectionPayload([], null), /at least one/);
  });
});

describe('buildProjectionPayload neighbours', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('lists the 8 most cosine-similar shown points of each point', async () => {
    const { rows, labels, dim } = clusteredEmbeddings(5, 20);
    const pca = await projectEmbeddings(rows, labels, { maxPoints: 30 });
    const payload = buildProjectionPayload([pca], null, { embeddings: rows });
    const [view] = payload.views;
    assert.equal(view.neighbors?.k, 8);
    assert.equal(view.neighbors?.indices.length, 30);

    view.neighbors?.indices.forEach((list, point) => {
      const row = (p: number) => view.indices[p];
      const reference = view.indices
        .map((_, other) => other)
        .filter((other) => other !== point)
        .map((other) => cosine(rows, dim, row(point), row(other)))
        .sort((a, b) => b - a)
        .slice(0, 8);
      const listed = list.map((other) =>
        cosine(rows, dim, row(point), row(other)),
      );
      assert.ok(!list.includes(point));
      listed.forEach((similarity, rank) =>
        assert.ok(
          Math.abs(similarity - reference[rank]) < SIMILARITY_TOLERANCE,
          `point ${point}, rank ${rank}`,
        ),
      );
    });
  });

  it('gives views of one sample the same lists, and clips k', async () => {
    const { rows, labels } = clusteredEmbeddings(2, 3);
    const flat = await projectEmbeddings(rows, labels);
    const deep = await projectEmbeddings(rows, labels, { dims: 3 });
    const payload = buildProjectionPayload([flat, deep], null, {
      embeddings: rows,
      numNeighbors: 10,
    });
    const [first, second] = payload.views;
    assert.equal(first.neighbors?.k, 5);
    assert.deepEqual(first.neighbors, second.neighbors);
  });

  it('leaves them out of a view too large to search, saying so', async () => {
    const { rows, labels } = clusteredEmbeddings(3, 700);
    const pca = await projectEmbeddings(rows, labels);
    const small = await projectEmbeddings(rows, labels, { maxPoints: 50 });
    const payload = buildProjectionPayload([pca, small], null, {
      embeddings: rows,
    });
    const [large, sampled] = payload.views;
    assert.equal(large.neighbors, undefined);
    assert.match(
      large.notes.join(' '),
      new RegExp(`2100 points, over the ${MAX_NEIGHBOR_POINTS} searched`),
    );
    assert.equal(sampled.neighbors?.indices.length, 50);
  });

  it('leaves them out without embeddings', async () => {
    const { rows, labels } = clusteredEmbeddings(2, 5);
    const pca = await projectEmbeddings(rows, labels);
    const payload = buildProjectionPayload([pca], null);
    assert.equal(payload.views[0].neighbors, undefined);
  });

  it('rejects embeddings of other rows than the projections', async () => {
    const { rows, labels, dim } = clusteredEmbeddings(2, 5);
    const pca = await projectEmbeddings(rows, labels);
    const fewer = rows.subarray(0, 6 * dim);
    assert.throws(
      () => buildProjectionPayload([pca], null, { embeddings: fewer }),
      /buildProjectionPayload: embeddings length must be a multiple of 10/,
    );
    assert.throws(
      () =>
        buildProjectionPayload([pca], null, {
          embeddings: rows,
          numNeighbors: 0,
        }),
      (error: unknown) =>
        error instanceof ReportError &&
        /numNeighbors must be an integer/.test(error.message),
    );
  });

  it('does not leak tensors', async () => {
    const { rows, labels } = clusteredEmbeddings(3, 10);
    const pca = await projectEmbeddings(rows, labels);
    const before = tf.memory().numTensors;
    buildProjectionPayload([pca], null, { embeddings: rows });
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('buildAggregationPayload', () => {
  it('keeps the first rows and all column means', () => {
    const { rows, labels } = clusteredEmbeddings(6, 5);
    const table = aggregationTable(rows, labels, { numBlocks: 2 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const payload = buildAggregationPayload(table, names, 4);
    assert.deepEqual(payload.columns, ['S1', 'S2', 'full']);
    assert.equal(payload.rows.length, 4);
    assert.equal(payload.values.length, 4);
    assert.ok(payload.values.every((row) => row.length === 3));
    assert.equal(payload.columnMeans.length, 3);
    assert.deepEqual(payload.cap, {
      total: 6,
      shown: 4,
      sampled: true,
      note: 'first 4 of 6 classes shown; column means over all',
    });
    assert.equal(payload.rows[0], names[table.classes[0]]);
  });
});

describe('buildPairViewPayload', () => {
  it('caps the points and keeps the summary of all pairs', () => {
    const { rows, dim } = clusteredEmbeddings(4, 10);
    const pairs = Array.from({ length: 30 }, (_, i) => [i, i + 1]);
    const aggregation = pairAggregation(rows, pairs, {
      k: 2,
      numDraws: 5,
      embeddingDim: dim,
    });
    const payload = buildPairViewPayload(aggregation, 10);
    assert.equal(payload.full.length, 10);
    assert.equal(payload.min.length, 10);
    assert.equal(payload.summary.numPairs, 30);
    assert.ok(payload.full.every((c) => c !== null && Math.abs(c) <= 1 + 1e-9));
  });
});
