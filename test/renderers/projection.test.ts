/**
 * The projection renderer in Chromium: the library's projection payload
 * (synthetic faces: PCA in 3-D, UMAP, t-SNE, with thumbnails) drawn by
 * the built renderer through the renderer API's activate/renderOutputItem.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';

import type { ProjectionPayload } from '../../kernels/subface/display/contract';
import { PROJECTION_MIME } from '../../kernels/subface/display/contract';
import {
  browserIt,
  fixture,
  fixtureText,
  screenshot,
  useHarness,
} from './browser';
import { call, choose, emit, render, violations } from './harness_api';

const payload = fixture<ProjectionPayload>('projection');
const ID = 'projection';

/** Positions in view `v` of label `label`'s points, in order. */
function pointsOf(v: number, label: number): number[] {
  const positions: number[] = [];
  payload.views[v].labels.forEach((l, i) => l === label && positions.push(i));
  return positions;
}

/** Input indices of the k nearest points to `from` in 2-D view `v`. */
function expectedNeighbours(v: number, from: number, k = 8): string[] {
  const { x, y, indices } = payload.views[v];
  return x
    .map((_, i) => ({ i, d: Math.hypot(x[i] - x[from], y[i] - y[from]) }))
    .filter(({ i }) => i !== from)
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map(({ i }) => String(indices[i]));
}

/** The point of 2-D view `v` farthest from its nearest neighbour. */
function loneliestPoint(v: number): number {
  const { x, y } = payload.views[v];
  const gapOf = (i: number) =>
    Math.min(
      ...x.map((_, j) =>
        j === i ? Infinity : Math.hypot(x[j] - x[i], y[j] - y[i]),
      ),
    );
  return x
    .map((_, i) => i)
    .reduce((best, i) => (gapOf(i) > gapOf(best) ? i : best));
}

describe('projection renderer', () => {
  const page = useHarness();

  browserIt(
    'draws every point of the PCA view in 3-D, one WebGL trace per top identity',
    async () => {
      const shown = await render(
        page(),
        ID,
        PROJECTION_MIME,
        fixtureText('projection'),
      );
      assert.equal(shown.error, null);
      assert.equal(shown.plots.length, 1);
      const [plot] = shown.plots;
      const groups = plot.traces.filter((t) => t.name !== 'neighbours');
      assert.ok(groups.every((t) => t.type === 'scatter3d'));
      const total = groups.reduce((sum, t) => sum + t.points, 0);
      assert.equal(total, payload.views[0].x.length);
      assert.deepEqual(plot.sceneTitles, [
        'PC1 (41.1%)',
        'PC2 (19.7%)',
        'PC3 (5.5%)',
      ]);
      await screenshot(page(), 'projection-pca-3d', ID);
    },
  );

  browserIt(
    'lists the 12 largest identities in the legend and the rest as "other"',
    async () => {
      const [plot] = (
        await call<{ plots: { legend: string[] }[] }>(page(), 'inspect', ID)
      ).plots;
      assert.equal(plot.legend.length, 13);
      assert.deepEqual(plot.legend.slice(0, 2), ['person 0', 'person 1']);
      assert.equal(plot.legend[12], 'other (4 ids)');
    },
  );

  browserIt(
    'switches to the UMAP view in 2-D with its own axis titles',
    async () => {
      const shown = await choose(page(), ID, 'view', '1');
      const [plot] = shown.plots;
      assert.equal(plot.traces[0].type, 'scattergl');
      assert.equal(plot.xTitle, 'UMAP 1');
      assert.equal(plot.yTitle, 'UMAP 2');
      assert.ok(
        !shown.controls.includes('3-D'),
        'UMAP has no z: no 3-D toggle',
      );
    },
  );

  browserIt(
    'shows the hovered point with its identity, input index and thumbnail',
    async () => {
      const positions = pointsOf(1, 0);
      const images = payload.thumbnails?.images ?? {};
      const withImage = positions.findIndex(
        (p) => images[String(payload.views[1].indices[p])] !== undefined,
      );
      assert.ok(withImage >= 0, 'the fixture has a thumbnail of person 0');
      const shown = await emit(page(), ID, 'plotly_hover', 0, withImage);
      const index = payload.views[1].indices[positions[withImage]];
      assert.match(
        shown.side ?? '',
        new RegExp(`person 0input index ${index}`),
      );
      assert.equal(shown.thumbnails, 1);
    },
  );

  browserIt(
    "lists a clicked point's embedding-space neighbours from the payload",
    async () => {
      const from = pointsOf(1, 0)[0];
      const view = payload.views[1];
      const shown = await emit(page(), ID, 'plotly_click', 0, 0);
      const expected = view.neighbors?.indices[from] ?? [];
      assert.equal(expected.length, 8, 'the fixture has 8 per point');
      assert.deepEqual(
        shown.neighbours.map((cells) => cells[1]),
        expected.map((point) => String(view.indices[point])),
      );
      assert.match(shown.side ?? '', /in the embedding space \(cosine/);
      const rings = shown.plots[0].traces.find((t) => t.name === 'neighbours');
      assert.equal(
        rings?.points,
        9,
        'the point and its 8 neighbours are ringed',
      );
      await screenshot(page(), 'projection-umap-neighbours', ID);
    },
  );

  browserIt(
    'lists the 8 nearest on the shown coordinates without payload lists',
    async () => {
      const plain = structuredClone(payload);
      for (const view of plain.views) delete view.neighbors;
      const id = 'projection-plain';
      await render(page(), id, PROJECTION_MIME, JSON.stringify(plain));
      await choose(page(), id, 'view', '1');
      const from = pointsOf(1, 0)[0];
      const shown = await emit(page(), id, 'plotly_click', 0, 0);
      assert.equal(shown.neighbourRows, 8);
      const listed = shown.neighbours.map((cells) => cells[1]);
      assert.deepEqual(listed, expectedNeighbours(1, from));
      assert.match(shown.side ?? '', /in the shown 2-D UMAP coordinates/);
      await call(page(), 'dispose', id);
    },
  );

  browserIt('selects a point clicked with the mouse', async () => {
    const target = loneliestPoint(1);
    const view = payload.views[1];
    const at = await call<{ x: number; y: number }>(
      page(),
      'pointPosition',
      ID,
      view.x[target],
      view.y[target],
    );
    const before = await call<number>(page(), 'drawCount', ID);
    await page().mouse.move(at.x, at.y);
    await page().mouse.click(at.x, at.y);
    await call(page(), 'settled', ID, before);
    const shown = await call<{ side: string }>(page(), 'inspect', ID);
    assert.match(shown.side, new RegExp(`\\(input ${view.indices[target]}\\)`));
  });

  browserIt('draws the PCA view in 2-D when 3-D is switched off', async () => {
    await choose(page(), ID, 'view', '0');
    const shown = await choose(page(), ID, '3-D', false);
    const [plot] = shown.plots;
    assert.equal(plot.traces[0].type, 'scattergl');
    assert.equal(plot.xTitle, 'PC1 (41.1%)');
    assert.equal(plot.yTitle, 'PC2 (19.7%)');
  });

  browserIt(
    'runs under a strict Content Security Policy without a violation',
    async () => {
      assert.deepEqual(await violations(page()), []);
    },
  );
});
