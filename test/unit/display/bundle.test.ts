import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  AGGREGATION_MIME,
  makeBundle,
  SVG_MIME,
  TEXT_MIME,
  TRAINING_MIME,
  VERIFICATION_MIME,
} from '../../../kernels/subface/display';
import { compactSvg } from '../../../kernels/subface/display/svg';
import {
  aggregationFixture,
  pairsFixture,
  projectionFixture,
  trainingFixture,
  verificationFixture,
} from './fixtures';
import { countMarks, parseSvg } from './helpers';

/** A small input's whole output stays far below the 300 KB aim. */
const SMALL_OUTPUT_BYTES = 40_000;

function svgOf(bundle: { data: { [mime: string]: unknown } }): string {
  return bundle.data[SVG_MIME] as string;
}

describe('makeBundle', () => {
  it('holds the payload object, an SVG and text/plain', async () => {
    const payload = verificationFixture();
    const bundle = await makeBundle('verification', payload);
    assert.deepEqual(Object.keys(bundle.data), [
      VERIFICATION_MIME,
      SVG_MIME,
      TEXT_MIME,
    ]);
    assert.deepEqual(bundle.data[VERIFICATION_MIME], payload);
    assert.match(bundle.data[TEXT_MIME] as string, /acc 0\.90000 \+- 0\.10000/);
    assert.ok(JSON.stringify(bundle.data).length < SMALL_OUTPUT_BYTES);
  });

  it('draws one mark per projection point, in every view', async () => {
    const payload = projectionFixture();
    payload.views.push({ ...payload.views[0], method: 'umap' });
    const bundle = await makeBundle('projection', payload);
    const svg = svgOf(bundle);
    parseSvg(svg);
    assert.equal(countMarks(svg, 'symbol'), 6);
    assert.ok(svg.length < SMALL_OUTPUT_BYTES);
    assert.match(bundle.data[TEXT_MIME] as string, /PCA, UMAP/);
  });

  it('draws one cell per defined heatmap value, and the pairs', async () => {
    const payload = { ...aggregationFixture(), pairs: pairsFixture() };
    const bundle = await makeBundle('aggregation', payload);
    const svg = svgOf(bundle);
    // 2 x 2 values with one null; 2 pairs, each min and mean.
    assert.equal(countMarks(svg, 'rect'), 3);
    assert.equal(countMarks(svg, 'symbol'), 4);
    assert.ok(bundle.data[AGGREGATION_MIME]);
    assert.match(bundle.data[TEXT_MIME] as string, /mean gap/);
  });

  it('draws one heatmap per run, side by side', async () => {
    const payload = aggregationFixture();
    payload.otherRuns = [{ ...aggregationFixture(), run: 'baseline' }];
    const svg = svgOf(await makeBundle('aggregation', payload));
    assert.equal(countMarks(svg, 'rect'), 6);
    assert.ok(svg.includes('baseline'));
  });

  it('draws loss, lr and accuracy curves', async () => {
    const bundle = await makeBundle('training', trainingFixture());
    const svg = svgOf(bundle);
    // One line each for loss, lr and accuracy; a point per evaluation.
    assert.equal(countMarks(svg, 'line'), 3);
    assert.equal(countMarks(svg, 'symbol'), 1);
    assert.ok(bundle.data[TRAINING_MIME]);
    const text = bundle.data[TEXT_MIME] as string;
    assert.match(text, /step 3\/3 {2}epoch 0 {2}loss 1\.0000 {2}lr 0\.000e\+0/);
    assert.match(text, /eval s at step 3: acc 0\.90000 \+- 0\.10000/);
  });

  it('draws the ROC as one line', async () => {
    const svg = svgOf(await makeBundle('verification', verificationFixture()));
    assert.equal(countMarks(svg, 'line'), 1);
  });

  it('rejects an invalid payload before drawing', async () => {
    const payload = { ...projectionFixture(), views: [] };
    await assert.rejects(
      makeBundle('projection', payload),
      /\/views: must NOT have fewer than 1 items, but got \[\]/,
    );
  });
});

describe('compactSvg', () => {
  it('keeps one decimal in transforms and paths, and text as is', () => {
    const svg =
      '<g transform="translate(12.345678,9.87654)"><path aria-hidden="true"' +
      ' d="M1.732,0A1.732,1.732,0,1,1,-1.732,0"/><text>0.125</text></g>';
    assert.equal(
      compactSvg(svg),
      '<g transform="translate(12.3,9.8)"><path d="M1.7,0A1.7,1.7,0,1,1,' +
        '-1.7,0"/><text>0.125</text></g>',
    );
  });
});
