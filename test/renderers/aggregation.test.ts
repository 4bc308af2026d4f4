/**
 * The aggregation renderer in Chromium: the library's heatmap payload
 * (two runs of synthetic embeddings, 24 classes x 4 blocks + full, with
 * pair views) drawn by the built renderer.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';

import type { AggregationPayload } from '../../kernels/subface/display/contract';
import { AGGREGATION_MIME } from '../../kernels/subface/display/contract';
import {
  browserIt,
  fixture,
  fixtureText,
  screenshot,
  useHarness,
} from './browser';
import { choose, render, violations } from './harness_api';

const payload = fixture<AggregationPayload>('aggregation');
const other = (payload.otherRuns ?? [])[0];
const ID = 'aggregation';

/** The row name with the extreme value of `score` (first on ties). */
function rowWith(score: (r: number) => number, pick: 'max' | 'min'): string {
  const rows = payload.rows.map((_, r) => r);
  const sign = pick === 'max' ? 1 : -1;
  const best = rows.reduce((a, r) =>
    sign * (score(r) - score(a)) > 0 ? r : a,
  );
  return payload.rows[best];
}

/** The largest |this - other| cell over rows matched by label. */
function largestDifference(): number {
  let largest = 0;
  payload.rowLabels.forEach((label, r) => {
    const o = other.rowLabels.indexOf(label);
    payload.values[r].forEach((value, c) => {
      const theirs = other.values[o][c];
      if (value !== null && theirs !== null) {
        largest = Math.max(largest, Math.abs(value - theirs));
      }
    });
  });
  return largest;
}

describe('aggregation renderer', () => {
  const page = useHarness();

  browserIt(
    'draws both runs side by side with column means and gaps',
    async () => {
      const shown = await render(
        page(),
        ID,
        AGGREGATION_MIME,
        fixtureText('aggregation'),
      );
      assert.equal(shown.error, null);
      const [heatmap] = shown.plots;
      const shapes = heatmap.traces.map((t) => t.zShape);
      const numColumns = payload.columns.length;
      assert.deepEqual(shapes.slice(0, 4), [
        [payload.rows.length, numColumns],
        [1, numColumns],
        [payload.rows.length, other.columns.length],
        [1, other.columns.length],
      ]);
      assert.deepEqual(
        heatmap.traces.slice(4).map((t) => [t.type, t.points]),
        [
          ['bar', payload.rows.length],
          ['bar', payload.rows.length],
        ],
      );
      assert.equal(heatmap.xTitle, 'subface');
      assert.deepEqual(heatmap.yTicks, payload.rows);
      await screenshot(page(), 'aggregation-side-by-side', ID);
    },
  );

  browserIt('uses the fixed colour range 0 to 1', async () => {
    const shown = await choose(page(), ID, 'compare', 'single');
    assert.equal(shown.plots[0].traces.length, 3);
    assert.deepEqual(shown.plots[0].colourRange, [0, 1]);
  });

  browserIt('hovers with the exact value of a cell', async () => {
    const shown = await choose(page(), ID, 'sort by', 'label');
    const text = shown.plots[0].traces[0].firstText ?? '';
    const exact = `${payload.columns[0]}: A = ${payload.values[0][0]}`;
    assert.ok(text.includes(exact), `${text} holds ${exact}`);
    assert.ok(text.includes(`n=${payload.rowCounts[0]}`));
  });

  browserIt('switches to the diverging colour range -1 to 1', async () => {
    const shown = await choose(page(), ID, 'colour scale', 'diverging');
    assert.deepEqual(shown.plots[0].colourRange, [-1, 1]);
    await choose(page(), ID, 'colour scale', 'fixed');
  });

  browserIt(
    'sorts rows by gap, largest first, and by full, lowest first',
    async () => {
      const full = payload.columns.indexOf('full');
      const byGap = await choose(page(), ID, 'sort by', 'gap');
      const gapOf = (r: number) => payload.gap[r] ?? -Infinity;
      assert.equal(byGap.plots[0].yTicks?.[0], rowWith(gapOf, 'max'));
      const byFull = await choose(page(), ID, 'sort by', 'full');
      const fullOf = (r: number) => payload.values[r][full] ?? Infinity;
      assert.equal(byFull.plots[0].yTicks?.[0], rowWith(fullOf, 'min'));
    },
  );

  browserIt(
    'draws the difference of the runs on a symmetric diverging range',
    async () => {
      const shown = await choose(page(), ID, 'compare', 'difference');
      const [low, high] = shown.plots[0].colourRange ?? [0, 0];
      assert.equal(low, -high);
      assert.ok(high >= largestDifference(), `${high} covers every cell`);
      assert.ok(high < largestDifference() + 0.05 + 1e-9);
      await screenshot(page(), 'aggregation-difference', ID);
    },
  );

  browserIt(
    'draws the pair view of both runs against the diagonal',
    async () => {
      const pairs = (await choose(page(), ID, 'compare', 'sideBySide'))
        .plots[1];
      const numPairs = payload.pairs?.cap.shown;
      assert.deepEqual(
        pairs.traces.map((t) => t.points),
        [numPairs, numPairs, other.pairs?.cap.shown, other.pairs?.cap.shown, 2],
      );
      assert.equal(pairs.xTitle, 'full cosine');
      assert.equal(pairs.yTitle, `sub-cosine (k=${payload.pairs?.k} dims)`);
      assert.equal(pairs.legend.length, 5);
    },
  );

  browserIt(
    'runs under a strict Content Security Policy without a violation',
    async () => {
      assert.deepEqual(await violations(page()), []);
    },
  );
});
