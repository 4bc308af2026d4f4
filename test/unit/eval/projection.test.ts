import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  EvalError,
  jacobiEigen,
  projectEmbeddings,
  topEigen,
} from '../../../kernels/subface/eval';
import { SeededRandom } from '../../../kernels/subface/runtime';
import { assertClose, loadFixture } from './helpers';

/** float32 covariance and projection in tfjs vs numpy's float64 SVD. */
const PCA_TOL = 1e-4;

interface PcaReference {
  data: number[][];
  components: number[][];
  explainedVarianceRatio: number[];
  coords: number[][];
}

const reference = loadFixture<{ pca: PcaReference }>(
  'aggregation_reference.json',
).pca;

/** Seeded Gaussian clusters, [numClasses * perClass, dim]. */
function clusters(numClasses: number, perClass: number, dim: number) {
  const random = new SeededRandom(17);
  const centres = Array.from({ length: numClasses }, () =>
    Array.from({ length: dim }, () => random.normal(0, 3)),
  );
  const rows: number[][] = [];
  const labels: number[] = [];
  centres.forEach((centre, c) => {
    for (let i = 0; i < perClass; i++) {
      rows.push(centre.map((x) => x + random.normal()));
      labels.push(c);
    }
  });
  return { rows, labels };
}

describe('projectEmbeddings', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('matches a numpy PCA up to the sign of each axis', async () => {
    const before = tf.memory().numTensors;
    const result = await projectEmbeddings(reference.data, null, {
      method: 'pca',
      dims: 3,
    });
    assert.equal(tf.memory().numTensors, before);
    assertClose(
      result.explainedVariance!,
      reference.explainedVarianceRatio,
      PCA_TOL,
      'explained variance',
    );
    for (let c = 0; c < 3; c++) {
      const mine = Array.from(result.coords.filter((_, k) => k % 3 === c));
      const theirs = reference.coords.map((row) => row[c]);
      const sign = Math.sign(mine[0]) === Math.sign(theirs[0]) ? 1 : -1;
      const flipped = theirs.map((v) => sign * v);
      assertClose(mine, flipped, PCA_TOL * 10, `coords axis ${c}`);
    }
  });

  it('finds leading eigenpairs by subspace iteration like Jacobi does', () => {
    const n = 40;
    const random = new SeededRandom(3);
    const basis = Array.from({ length: n * n }, () => random.normal());
    const spd = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) {
          sum += basis[i * n + k] * basis[j * n + k] * 0.8 ** k;
        }
        spd[i * n + j] = sum;
      }
    }
    const full = jacobiEigen(spd, n);
    const top = topEigen(spd, n, 3, 0);
    assert.ok(top.converged);
    assertClose(top.values, full.values.slice(0, 3), 1e-8, 'eigenvalues');
    for (let c = 0; c < 3; c++) {
      const a = top.vectors.subarray(c * n, (c + 1) * n);
      const b = full.vectors.subarray(c * n, (c + 1) * n);
      const cos = a.reduce((s, v, k) => s + v * b[k], 0);
      assertClose([Math.abs(cos)], [1], 1e-8, `axis ${c}`);
    }
  });

  it('states the cap and samples the same seeded points', async () => {
    const { rows, labels } = clusters(6, 50, 8);
    const config = { method: 'pca' as const, maxPoints: 120, seed: 4 };
    const first = await projectEmbeddings(rows, labels, config);
    assert.deepEqual(first.cap, {
      total: 300,
      shown: 120,
      sampled: true,
      note: 'showing 120 of 300 points (seeded sample, seed 4)',
    });
    assert.equal(first.coords.length, 240);
    const again = await projectEmbeddings(rows, labels, config);
    assert.deepEqual(again.indices, first.indices);
    assert.deepEqual(
      Array.from(first.labels!),
      Array.from(first.indices, (i) => labels[i]),
    );
    const all = await projectEmbeddings(rows, labels, { maxPoints: 5000 });
    assert.equal(all.cap.note, 'showing all 300 points');
    assert.equal(all.cap.sampled, false);
  });

  it('runs UMAP deterministically for a seed, in 2 or 3 dims', async () => {
    const { rows, labels } = clusters(4, 10, 6);
    const config = { method: 'umap' as const, nEpochs: 50, seed: 2 };
    const first = await projectEmbeddings(rows, labels, config);
    const again = await projectEmbeddings(rows, labels, config);
    assert.equal(first.coords.length, 80);
    assert.deepEqual(again.coords, first.coords);
    assert.ok(first.coords.every(Number.isFinite));

    // Fewer points than nNeighbors + 1: nNeighbors is clipped to n - 1.
    const small = await projectEmbeddings(
      rows.slice(0, 8),
      labels.slice(0, 8),
      {
        ...config,
        dims: 3,
      },
    );
    assert.equal(small.coords.length, 24);
  });

  it('runs exact t-SNE and keeps clusters apart', async () => {
    const { rows, labels } = clusters(3, 12, 5);
    const result = await projectEmbeddings(rows, labels, {
      method: 'tsne',
      iterations: 1000,
      seed: 1,
    });
    assert.equal(result.coords.length, 72);

    // Each point's nearest neighbour in the map has its own label.
    let agree = 0;
    for (let i = 0; i < 36; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let j = 0; j < 36; j++) {
        if (i === j) continue;
        const dx = result.coords[2 * i] - result.coords[2 * j];
        const dy = result.coords[2 * i + 1] - result.coords[2 * j + 1];
        if (dx * dx + dy * dy < bestDistance) {
          [best, bestDistance] = [j, dx * dx + dy * dy];
        }
      }
      if (labels[best] === labels[i]) agree += 1;
    }
    assert.ok(agree >= 32, `nearest neighbours agreeing: ${agree}`);
  });

  it('rejects unknown methods and flat arrays without a row size', async () => {
    await assert.rejects(
      projectEmbeddings(
        [
          [1, 2],
          [3, 4],
        ],
        null,
        { method: 'mds' as never },
      ),
      /method must be one of 'pca', 'umap', 'tsne', but got 'mds'/,
    );
    await assert.rejects(
      projectEmbeddings(new Float32Array(8), null),
      EvalError,
    );
  });
});
