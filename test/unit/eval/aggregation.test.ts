import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  aggregationTable,
  EvalError,
  pairAggregation,
  sameIdentityPairs,
  splitDims,
} from '../../../kernels/subface/eval';
import { assertClose, loadFixture } from './helpers';

/** float64 on both sides; only summation order differs. */
const AGGREGATION_TOL = 1e-6;

interface ReferenceTable {
  blocks: number[][];
  mode: 'mean' | 'leaveOneOut' | 'centers';
  classes: number[];
  values: (number | null)[][];
  columnMeans: number[];
  gap: number[];
  numNearZeroSubvectors: number;
}

interface Reference {
  rawEmbeddings: number[][];
  labels: number[];
  classCenters: number[][];
  tables: ReferenceTable[];
  pairView: {
    pairs: number[][];
    subsets: number[][];
    full: number[];
    min: number[];
    mean: number[];
  };
}

const reference = loadFixture<Reference>('aggregation_reference.json');

function tableFor(expected: ReferenceTable) {
  return aggregationTable(reference.rawEmbeddings, reference.labels, {
    blocks: expected.blocks,
    leaveOneOut: expected.mode === 'leaveOneOut',
    classCenters: expected.mode === 'centers' ? reference.classCenters : null,
  });
}

/** Random-ish embeddings of `numClasses` classes, `perClass` each. */
function clusters(numClasses: number, perClass: number, dim: number) {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    for (let i = 0; i < perClass; i++) {
      rows.push(
        Array.from(
          { length: dim },
          (_, j) => Math.sin(c * 7 + j) + 0.3 * Math.cos(i * 13 + j * j),
        ),
      );
      labels.push(c);
    }
  }
  return { rows, labels };
}

describe('aggregationTable', () => {
  for (const expected of reference.tables) {
    const name = `${expected.mode}, ${expected.blocks.length} blocks`;
    it(`matches the numpy reference (${name})`, () => {
      const table = tableFor(expected);
      assert.deepEqual(Array.from(table.classes), expected.classes);
      const values = expected.values.flat().map((v) => v ?? NaN);
      assertClose(table.values, values, AGGREGATION_TOL, 'values');
      assertClose(
        table.columnMeans,
        expected.columnMeans,
        AGGREGATION_TOL,
        'column means',
      );
      assertClose(table.gap, expected.gap, AGGREGATION_TOL, 'gap');
      assert.equal(table.numNearZeroSubvectors, expected.numNearZeroSubvectors);
      assert.equal(table.columns.at(-1), 'full');
    });
  }

  it('skips classes with fewer than 2 samples and lists them', () => {
    const table = tableFor(reference.tables[0]);
    assert.deepEqual(table.skippedClasses, [{ label: 3, count: 1 }]);
    assert.ok(table.notes.some((n) => /< 2 samples skipped/.test(n)));
  });

  it('leaves a cell without 2 usable sub-vectors NaN and skips it', () => {
    const table = tableFor(reference.tables[0]);
    const row = Array.from(table.classes).indexOf(5);
    assert.ok(Number.isNaN(table.values[row * 4]));
    assert.equal(table.numUndefinedCells, 1);
    assert.ok(Number.isFinite(table.columnMeans[0]));
    assert.ok(Number.isFinite(table.gap[row]));
  });

  it('splits dims like np.array_split, contiguous or permuted', () => {
    const sizes = splitDims(10, 3, 'contiguous', 0).map((b) => b.length);
    assert.deepEqual(sizes, [4, 3, 3]);
    const permuted = splitDims(12, 3, 'permuted', 5);
    const all = permuted.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: 12 }, (_, j) => j),
    );
    assert.notDeepEqual(Array.from(permuted[0]), [0, 1, 2, 3]);
  });

  it('gives the same numbers for the same seed', () => {
    const { rows, labels } = clusters(12, 4, 16);
    const config = { numBlocks: 4, blocks: 'permuted' as const, maxClasses: 5 };
    const first = aggregationTable(rows, labels, { ...config, seed: 3 });
    const again = aggregationTable(rows, labels, { ...config, seed: 3 });
    const other = aggregationTable(rows, labels, { ...config, seed: 4 });
    assert.deepEqual(first, again);
    assert.notDeepEqual(first.blocks, other.blocks);
    assert.equal(first.classes.length, 5);
    assert.ok(first.notes.some((n) => /showing 5 of 12 classes/.test(n)));
  });

  it('rejects a block size that does not divide the dimension', () => {
    const { rows, labels } = clusters(3, 3, 10);
    assert.throws(
      () => aggregationTable(rows, labels, { blockSize: 4 }),
      /aggregationTable: blockSize must be a divisor of 10, but got 4/,
    );
    assert.throws(() => aggregationTable(rows, labels.slice(1)), EvalError);
  });
});

describe('pairAggregation', () => {
  it('matches the numpy reference with fixed subsets', () => {
    const view = reference.pairView;
    const result = pairAggregation(reference.rawEmbeddings, view.pairs, {
      subsets: view.subsets,
    });
    assertClose(result.full, view.full, AGGREGATION_TOL, 'full');
    assertClose(result.min, view.min, AGGREGATION_TOL, 'min');
    assertClose(result.mean, view.mean, AGGREGATION_TOL, 'mean');
    assert.equal(result.summary.numSkippedSubsets, 1);
  });

  it('draws the same subsets and numbers for the same seed', () => {
    const { rows, labels } = clusters(6, 5, 32);
    const pairs = sameIdentityPairs(labels, 20, 1);
    const config = { k: 8, numDraws: 25, seed: 9 };
    const first = pairAggregation(rows, pairs, config);
    assert.deepEqual(pairAggregation(rows, pairs, config), first);
    assert.equal(first.subsets.length, 25);
    assert.ok(first.subsets.every((s) => s.length === 8));
    for (let p = 0; p < first.summary.numPairs; p++) {
      assert.ok(first.min[p] <= first.mean[p] + 1e-12);
    }
    const other = pairAggregation(rows, pairs, { ...config, seed: 10 });
    assert.notDeepEqual(other.min, first.min);
  });

  it('pairs only samples of one identity', () => {
    const labels = [0, 0, 1, 1, 1, 2];
    const all = sameIdentityPairs(labels, 100, 0);
    assert.deepEqual(Array.from(all), [0, 1, 2, 3, 2, 4, 3, 4]);
    const some = sameIdentityPairs([0, 0, 0, 0, 0, 1, 1], 4, 2);
    assert.equal(some.length, 8);
    for (let p = 0; p < 4; p++) {
      assert.ok(some[2 * p] < some[2 * p + 1]);
    }
  });
});
