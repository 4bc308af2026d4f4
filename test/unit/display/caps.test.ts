import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  AGGREGATION_MIME,
  AggregationPayload,
  bundleBytes,
  capProjection,
  checkPayload,
  DEFAULT_DISPLAY_CAPS,
  makeBundle,
  MAX_OUTPUT_BYTES,
  PROJECTION_MIME,
  ProjectionPayload,
  SVG_MIME,
  TEXT_MIME,
  TRAINING_MIME,
  TrainingPayload,
} from '../../../kernels/subface/display';
import {
  aggregationFixture,
  projectionFixture,
  trainingFixture,
  verificationFixture,
} from './fixtures';
import { countMarks } from './helpers';

/** `n` points of 3-D views of two methods, 1000 classes, thumbnails. */
function bigProjection(n: number): ProjectionPayload {
  const cap = { total: n, shown: n, sampled: false, note: `all ${n}` };
  const indices = Array.from({ length: n }, (_, i) => i);
  const coords = indices.map((i) => Math.sin(i) * 12.345678);
  const view = {
    dims: 3 as const,
    x: coords,
    y: coords.map((c) => c / 3),
    z: coords.map((c) => -c),
    labels: indices.map((i) => i % 1000),
    indices,
    explainedVariance: null,
    cap,
    notes: [],
  };
  const thumbnail = `data:image/png;base64,${'A'.repeat(1200)}`;
  return {
    ...projectionFixture(),
    classNames: Array.from({ length: 1000 }, (_, i) => `person ${i}`),
    views: [
      { ...view, method: 'pca' },
      { ...view, method: 'umap' },
    ],
    thumbnails: {
      images: Object.fromEntries(indices.map((i) => [String(i), thumbnail])),
      width: 32,
      height: 32,
      cap,
    },
    cap,
  };
}

describe('display caps', () => {
  it('caps 50k projection points, says so, and stays under 300 KB', async () => {
    const bundle = await makeBundle('projection', bigProjection(50_000));
    const payload = bundle.data[PROJECTION_MIME] as ProjectionPayload;
    assert.deepEqual(checkPayload(PROJECTION_MIME, payload), []);

    const shown = payload.views.reduce((sum, v) => sum + v.x.length, 0);
    assert.ok(shown <= DEFAULT_DISPLAY_CAPS.points);
    assert.equal(payload.cap.total, 50_000);
    assert.ok(payload.cap.sampled);
    assert.match(payload.cap.note, /display cap: 2000 of those 50000/);
    assert.match(bundle.data[TEXT_MIME] as string, /display cap/);

    const thumbnails = payload.thumbnails?.images ?? {};
    const thumbnailChars = Object.values(thumbnails).join('').length;
    assert.ok(thumbnailChars <= DEFAULT_DISPLAY_CAPS.thumbnailBytes);
    assert.ok(Object.keys(thumbnails).length > 0);
    assert.match(payload.thumbnails?.cap.note ?? '', /of 50000 thumbnails/);

    const svg = bundle.data[SVG_MIME] as string;
    assert.ok(countMarks(svg, 'symbol') <= 500);
    assert.ok(bundleBytes(bundle) < MAX_OUTPUT_BYTES);
  });

  it('keeps the names of shown labels only', async () => {
    const bundle = await makeBundle('projection', bigProjection(50_000));
    const payload = bundle.data[PROJECTION_MIME] as ProjectionPayload;
    const used = new Set(payload.views.flatMap((v) => v.labels));
    payload.classNames.forEach((name, label) => {
      assert.equal(name === '', !used.has(label));
    });
  });

  it('keeps neighbour lists among the kept points, renumbered', () => {
    const n = 10;
    const payload = bigProjection(n);
    // Point i's neighbours: i + 1, i + 2, i + 3 (wrapping).
    const lists = Array.from({ length: n }, (_, i) =>
      [1, 2, 3].map((step) => (i + step) % n),
    );
    payload.views = [
      { ...payload.views[0], neighbors: { k: 3, indices: lists } },
    ];
    const capped = capProjection(payload, {
      ...DEFAULT_DISPLAY_CAPS,
      points: 5,
    });
    assert.deepEqual(checkPayload(PROJECTION_MIME, capped), []);

    // Kept: points 0, 2, 5, 7, 9 (evenly spaced) at positions 0..4.
    const [view] = capped.views;
    assert.deepEqual(view.indices, [0, 2, 5, 7, 9]);
    assert.deepEqual(view.neighbors, {
      k: 3,
      indices: [[1], [2], [3], [4, 0], [0, 1]],
    });
  });

  it('thins long curves, keeping the last step', async () => {
    const n = 100_000;
    const steps = Array.from({ length: n }, (_, i) => (i + 1) * 10);
    const payload: TrainingPayload = {
      ...trainingFixture(),
      steps,
      loss: steps.map((s) => 1 / s),
      lr: steps.map(() => 0.1),
      samplesPerSecond: steps.map(() => 100),
      cap: { total: n, shown: n, sampled: false, note: `all ${n}` },
    };
    const bundle = await makeBundle('training', payload);
    const capped = bundle.data[TRAINING_MIME] as TrainingPayload;
    assert.equal(capped.steps.length, DEFAULT_DISPLAY_CAPS.curvePoints);
    assert.equal(capped.steps.at(-1), n * 10);
    assert.equal(capped.cap.total, n);
    assert.match(capped.cap.note, /display cap: 3000 of those 100000/);
    assert.ok(bundleBytes(bundle) < MAX_OUTPUT_BYTES);
  });

  it('keeps the heatmap rows that fit the cell budget', async () => {
    const columns = [...Array.from({ length: 599 }, (_, i) => `S${i}`), 'full'];
    const rows = Array.from({ length: 50 }, (_, i) => `id ${i}`);
    const payload: AggregationPayload = {
      ...aggregationFixture(),
      rows,
      rowLabels: rows.map((_, i) => i),
      rowCounts: rows.map(() => 3),
      columns,
      values: rows.map(() => columns.map(() => 0.5)),
      columnMeans: columns.map(() => 0.5),
      gap: rows.map(() => 0),
      cap: { total: 50, shown: 50, sampled: false, note: 'all 50' },
    };
    const bundle = await makeBundle('aggregation', payload);
    const capped = bundle.data[AGGREGATION_MIME] as AggregationPayload;
    assert.deepEqual(checkPayload(AGGREGATION_MIME, capped), []);
    assert.equal(capped.rows.length, Math.floor(5000 / 600));
    assert.match(capped.cap.note, /display cap: 8 of those 50 rows/);
  });

  it('halves the caps until the output fits a smaller aim', async () => {
    const bundle = await makeBundle(
      'projection',
      bigProjection(20_000),
      DEFAULT_DISPLAY_CAPS,
      100_000,
    );
    assert.ok(bundleBytes(bundle) <= 100_000);
    const payload = bundle.data[PROJECTION_MIME] as ProjectionPayload;
    assert.ok(payload.cap.shown < DEFAULT_DISPLAY_CAPS.points / 2);
  });

  it('states an output over the aim instead of dropping it', async () => {
    const bundle = await makeBundle(
      'verification',
      verificationFixture(),
      DEFAULT_DISPLAY_CAPS,
      1000,
    );
    assert.match(bundle.data[TEXT_MIME] as string, /over the 1 KB aim/);
  });
});
