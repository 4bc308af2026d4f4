/**
 * Small valid payloads of every kind, written out by hand so a test can
 * break one field at a time.
 */
import {
  AggregationPayload,
  ProjectionPayload,
  SCHEMA_VERSION,
  TrainingPayload,
  VerificationPayload,
} from '../../../kernels/subface/display/contract';

export function projectionFixture(): ProjectionPayload {
  const cap = { total: 3, shown: 3, sampled: false, note: 'all 3' };
  return {
    schemaVersion: SCHEMA_VERSION,
    run: 'demo',
    classNames: ['a', 'b'],
    views: [
      {
        method: 'pca',
        dims: 2,
        x: [0, 1, 2],
        y: [1, 0, 2],
        labels: [0, 1, 1],
        indices: [0, 1, 2],
        explainedVariance: [0.6, 0.3],
        cap,
        notes: [],
      },
    ],
    cap,
    notes: [],
  };
}

export function aggregationFixture(): AggregationPayload {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: 'subface',
    rows: ['a', 'b'],
    rowLabels: [0, 1],
    rowCounts: [5, 4],
    columns: ['S1', 'full'],
    values: [
      [0.5, 0.9],
      [null, 0.8],
    ],
    columnMeans: [0.5, 0.85],
    gap: [0.4, null],
    k: 4,
    seed: 0,
    blockMode: 'contiguous',
    center: 'samples',
    cap: { total: 2, shown: 2, sampled: false, note: 'all 2 classes' },
    notes: [],
  };
}

export function pairsFixture(): NonNullable<AggregationPayload['pairs']> {
  return {
    k: 4,
    numDraws: 10,
    seed: 0,
    full: [0.9, 0.8],
    min: [0.5, 0.4],
    mean: [0.7, 0.6],
    summary: { numPairs: 2, meanFull: 0.85, meanMin: 0.45, meanMean: 0.65 },
    cap: { total: 2, shown: 2, sampled: false, note: 'all 2 pairs' },
  };
}

export function trainingFixture(): TrainingPayload {
  return {
    schemaVersion: SCHEMA_VERSION,
    run: 'subface',
    steps: [1, 2, 3],
    loss: [3, 2, 1],
    lr: [0.1, 0.05, 0],
    samplesPerSecond: [10, 10, 10],
    evaluations: [{ step: 3, accuracy: 0.9, accuracyStd: 0.1, set: 's' }],
    latest: {
      step: 3,
      totalSteps: 3,
      epoch: 0,
      loss: 1,
      lr: 0,
      samplesPerSecond: 10,
      eta: 0,
    },
    done: true,
    endReason: 'completed',
    cap: { total: 3, shown: 3, sampled: false, note: 'all 3 logged steps' },
  };
}

export function verificationFixture(): VerificationPayload {
  return {
    schemaVersion: SCHEMA_VERSION,
    name: 'set',
    sha256: 'abc',
    numPairs: 20,
    numSame: 10,
    numDifferent: 10,
    flip: true,
    accuracy: 0.9,
    accuracyStd: 0.1,
    accuracyNoFlip: 0.85,
    xNorm: 3,
    folds: [
      {
        fold: 1,
        numPairs: 2,
        threshold: 1.2,
        accuracy: 1,
        trainAccuracy: 0.9,
      },
    ],
    tarAtFar: [{ far: 0.1, tar: 0.8 }],
    roc: { fpr: [0.1, 1], tpr: [0.8, 1], maxPoints: 500, note: 'n' },
  };
}
