import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  EvalError,
  formatVerification,
  kFoldAssignment,
  thresholdGrid,
  verify,
} from '../../../kernels/subface/eval';
import { assertClose, loadFixture } from './helpers';

/** float64 sums in a different order than numpy's pairwise sums. */
const FLOAT64_TOL = 1e-12;

interface ReferenceCase {
  name: string;
  numPairs: number;
  dim: number;
  embeddingsInt16: string;
  issame: boolean[];
  numTies: number;
  accuracy: number;
  accuracyStd: number;
  foldSizes: number[];
  foldAccuracy: number[];
  foldTrainAccuracy: number[];
  foldThresholdIndex: number[];
  foldThreshold: number[];
  tpr: number[];
  fpr: number[];
  numNegative: number;
  tarAtFar: (number | null)[];
  rocFpr?: number[];
  rocTpr?: number[];
}

interface Reference {
  quantization: number;
  fars: number[];
  thresholds: number[];
  cases: ReferenceCase[];
}

const reference = loadFixture<Reference>('verification_reference.json');

/** q / 32768 is exact in float32, so both sides see the same values. */
function embeddingsOf(testCase: ReferenceCase): Float32Array {
  const bytes = Buffer.from(testCase.embeddingsInt16, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = view.getInt16(2 * i, true) / reference.quantization;
  }
  return out;
}

/** Pairs of 4-d unit vectors at squared distance exactly 1 or 2. */
function tiedPairs(numPairs: number): {
  embeddings: Float32Array;
  issame: boolean[];
} {
  const embeddings = new Float32Array(numPairs * 2 * 4);
  const issame: boolean[] = [];
  for (let p = 0; p < numPairs; p++) {
    const same = p % 2 === 0;
    // dist = 0.25 per flipped coordinate: 4 * 0.25 = 1, 8 * 0.25 = 2.
    const second = same ? [0.5, 0.5, 0.5, -0.5] : [0.5, 0.5, -0.5, -0.5];
    embeddings.set([0.5, 0.5, 0.5, 0.5], p * 8);
    embeddings.set(second, p * 8 + 4);
    issame.push(same);
  }
  return { embeddings, issame };
}

describe('verify', () => {
  it('uses the thresholds of np.arange(0, 4, 0.01) bit for bit', () => {
    assert.deepEqual(Array.from(thresholdGrid()), reference.thresholds);
  });

  for (const testCase of reference.cases) {
    it(`matches the numpy/sklearn reference on ${testCase.name}`, () => {
      const result = verify(embeddingsOf(testCase), testCase.issame, {
        embeddingDim: testCase.dim,
      });
      assert.equal(result.foldsSource, 'kfold-contiguous');
      assert.equal(result.numPairs, testCase.numPairs);
      assert.deepEqual(
        result.folds.map((f) => f.numPairs),
        testCase.foldSizes,
      );
      assert.deepEqual(
        result.folds.map((f) => f.thresholdIndex),
        testCase.foldThresholdIndex,
      );
      assert.deepEqual(
        result.folds.map((f) => f.threshold),
        testCase.foldThreshold,
      );
      const accuracies = result.folds.map((f) => f.accuracy);
      assertClose(accuracies, testCase.foldAccuracy, 0, 'fold accuracy');
      assertClose(
        result.folds.map((f) => f.trainAccuracy),
        testCase.foldTrainAccuracy,
        0,
        'train accuracy',
      );
      assertClose([result.accuracy], [testCase.accuracy], FLOAT64_TOL, 'acc');
      assertClose(
        [result.accuracyStd],
        [testCase.accuracyStd],
        FLOAT64_TOL,
        'std',
      );
      assertClose(result.roc.tpr, testCase.tpr, FLOAT64_TOL, 'roc tpr');
      assertClose(result.roc.fpr, testCase.fpr, FLOAT64_TOL, 'roc fpr');
    });

    it(`matches sklearn's roc_curve and TAR@FAR on ${testCase.name}`, () => {
      const result = verify(embeddingsOf(testCase), testCase.issame);
      assert.equal(result.numDifferent, testCase.numNegative);
      assert.deepEqual(
        result.tarAtFar.map((t) => t.tar),
        testCase.tarAtFar,
      );
      if (testCase.rocFpr && testCase.rocTpr) {
        const curve = result.rocAllPairs;
        assertClose(curve.fpr, testCase.rocFpr, FLOAT64_TOL, 'fpr');
        assertClose(curve.tpr, testCase.rocTpr, FLOAT64_TOL, 'tpr');
      }
    });
  }

  it('takes the two sides of the pairs as separate matrices too', () => {
    const testCase = reference.cases[1];
    const embeddings = embeddingsOf(testCase);
    const dim = testCase.dim;
    const e1 = new Float32Array(embeddings.length / 2);
    const e2 = new Float32Array(embeddings.length / 2);
    for (let p = 0; p < testCase.numPairs; p++) {
      e1.set(embeddings.subarray(2 * p * dim, (2 * p + 1) * dim), p * dim);
      e2.set(
        embeddings.subarray((2 * p + 1) * dim, (2 * p + 2) * dim),
        p * dim,
      );
    }
    const result = verify({ e1, e2 }, testCase.issame);
    assert.equal(result.accuracy, verify(embeddings, testCase.issame).accuracy);
  });

  it('has exact threshold ties in the reference cases', () => {
    assert.ok(reference.cases.some((c) => c.numTies > 0));
  });

  it('predicts same only for a distance strictly below the threshold', () => {
    const { embeddings, issame } = tiedPairs(20);
    const result = verify(embeddings, issame);

    // Same pairs sit exactly at 1.00: it rejects them, 1.01 accepts them.
    for (const fold of result.folds) {
      assert.equal(fold.thresholdIndex, 101);
      assert.equal(fold.trainAccuracy, 1);
    }
    assert.equal(result.accuracy, 1);
  });

  it('takes the first threshold of a plateau of best accuracy', () => {
    // Every threshold in (1, 2] scores 100%: the first one, 1.01, wins.
    const { embeddings, issame } = tiedPairs(30);
    const result = verify(embeddings, issame);
    assert.deepEqual(
      result.folds.map((f) => f.threshold),
      new Array(10).fill(101 * 0.01),
    );
  });

  it('gives the first P % 10 folds one extra pair, as KFold does', () => {
    const sizes = (numPairs: number) => {
      const counts = new Array(10).fill(0);
      for (const fold of kFoldAssignment(numPairs, 10)) counts[fold] += 1;
      return counts;
    };
    assert.deepEqual(sizes(613), [62, 62, 62, 61, 61, 61, 61, 61, 61, 61]);
    assert.deepEqual(sizes(19), [2, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
    assert.deepEqual(sizes(6000), new Array(10).fill(600));
    const folds = kFoldAssignment(613, 10);
    assert.deepEqual(
      [folds[61], folds[62], folds[185], folds[186]],
      [0, 1, 2, 3],
    );
  });

  it('uses folds from a pair list when given, and says so', () => {
    const testCase = reference.cases[0];
    const embeddings = embeddingsOf(testCase);
    const blocks = kFoldAssignment(testCase.numPairs, 10);
    const fromList = verify(embeddings, testCase.issame, { folds: blocks });
    const fromKFold = verify(embeddings, testCase.issame);
    assert.equal(fromList.foldsSource, 'list');
    assert.equal(fromList.accuracy, fromKFold.accuracy);

    // Round-robin folds of 5 make different held-out sets.
    const roundRobin = Array.from({ length: 600 }, (_, p) => p % 5);
    const other = verify(embeddings, testCase.issame, { folds: roundRobin });
    assert.equal(other.numFolds, 5);
    assert.deepEqual(
      other.folds.map((f) => f.numPairs),
      [120, 120, 120, 120, 120],
    );
  });

  it('reports TAR only where the FAR resolution 1/numDifferent allows', () => {
    const testCase = reference.cases.find((c) => c.numPairs === 37)!;
    const result = verify(embeddingsOf(testCase), testCase.issame);
    const [at1, at2, at3, at4] = result.tarAtFar;
    assert.ok(at1.tar !== null && at1.achievedFar! <= 0.1);
    for (const missing of [at2, at3, at4]) {
      assert.equal(missing.tar, null);
      assert.match(missing.reason!, /needs at least \d+ different/);
    }
  });

  it('rejects mismatched lengths, non-finite values and tiny sets', () => {
    const { embeddings, issame } = tiedPairs(20);
    const tooShort = embeddings.subarray(0, embeddings.length - 1);
    assert.throws(() => verify(tooShort, issame), EvalError);
    assert.throws(
      () => verify(embeddings, issame, { embeddingDim: 8 }),
      /verify: embedding dim must be embeddingDim \(8\), but got 4/,
    );
    const withNaN = Float32Array.from(embeddings);
    withNaN[13] = NaN;
    assert.throws(() => verify(withNaN, issame), /must be finite/);
    const small = tiedPairs(9);
    assert.throws(
      () => verify(small.embeddings, small.issame),
      /number of pairs must be >= numFolds \(10\), but got 9/,
    );
    assert.throws(
      () => verify(embeddings, new Array(20).fill(true)),
      /both same and different pairs/,
    );
    assert.throws(
      () => verify(embeddings, issame, { folds: new Array(19).fill(0) }),
      /folds length must be numPairs \(20\)/,
    );
  });

  it('prints the InsightFace line, the sha256 and the fold thresholds', () => {
    const { embeddings, issame } = tiedPairs(20);
    const result = verify(embeddings, issame, { flip: true, sha256: 'ab12' });
    const lines = formatVerification(result, 'lfw').split('\n');
    assert.equal(lines[0], '[lfw]Accuracy-Flip: 1.00000+-0.00000');
    assert.match(lines[1], /sha256 ab12/);
    assert.equal(lines.filter((l) => / 1\.01 /.test(l)).length, 10);
  });
});
