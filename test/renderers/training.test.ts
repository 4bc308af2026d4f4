/**
 * The training renderer in Chromium: curves of two runs, then the
 * update a live display sends (VS Code calls renderOutputItem again with
 * the same element), which must redraw the one plot in place.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import type { TrainingPayload } from '../../kernels/subface/display/contract';
import { TRAINING_MIME } from '../../kernels/subface/display/contract';
import {
  browserIt,
  fixture,
  fixtureText,
  screenshot,
  useHarness,
} from './browser';
import { call, choose, inspect, render } from './harness_api';

const live = fixture<TrainingPayload>('training_live');
const done = fixture<TrainingPayload>('training');
const ID = 'training';

/**
 * Drags across the loss plot from step `from` to step `to`, as a user
 * zooms, and returns the plot once its x range has changed.
 */
async function dragZoom(page: Page, from: number, to: number) {
  const loss = live.loss[10] ?? 1;
  const position = (step: number) =>
    call<{ x: number; y: number }>(page, 'pointPosition', ID, step, loss);
  const [start, end] = [await position(from), await position(to)];
  const initial = (await inspect(page, ID)).plots[0].xRange;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y + 2, { steps: 8 });
  await page.mouse.up();
  for (let tries = 0; tries < 100; tries++) {
    const shown = await inspect(page, ID);
    const range = shown.plots[0].xRange;
    if (JSON.stringify(range) !== JSON.stringify(initial)) return shown;
    await page.waitForTimeout(50);
  }
  throw new Error('the drag did not zoom the plot');
}

describe('training renderer', () => {
  const page = useHarness();

  browserIt(
    'overlays loss, lr and accuracy of every run on one step axis',
    async () => {
      const shown = await render(
        page(),
        ID,
        TRAINING_MIME,
        fixtureText('training_live'),
      );
      assert.equal(shown.error, null);
      assert.equal(shown.plots.length, 1);
      const [plot] = shown.plots;
      const names = plot.traces.map((t) => [t.name, t.points]);
      assert.deepEqual(names, [
        ['subface', live.steps.length],
        ['subface', live.steps.length],
        ['subface lfw', live.evaluations.length],
        ['arcface', done.steps.length],
        ['arcface', done.steps.length],
        ['arcface lfw', done.evaluations.length],
      ]);
      assert.deepEqual(plot.legend, ['subface', 'arcface']);
      assert.equal(plot.xTitle, 'step');
      assert.equal(plot.yTitle, 'loss');
      assert.match(shown.status ?? '', /subface: step 400, .*running/);
    },
  );

  browserIt(
    'keeps the user zoom and the plot element when the run updates',
    async () => {
      const zoomed = await dragZoom(page(), 100, 300);
      const [low, high] = zoomed.plots[0].xRange ?? [0, 0];
      assert.ok(
        Math.abs(low - 100) < 15 && Math.abs(high - 300) < 15,
        `zoomed to ${low}..${high}`,
      );

      const updated = await render(
        page(),
        ID,
        TRAINING_MIME,
        fixtureText('training'),
      );
      assert.equal(updated.plots.length, 1);
      assert.equal(
        updated.plots[0].token,
        zoomed.plots[0].token,
        'same plot element',
      );
      assert.deepEqual(updated.plots[0].xRange, zoomed.plots[0].xRange);
      assert.equal(updated.plots[0].traces[0].points, done.steps.length);
      assert.match(
        updated.status ?? '',
        /subface: step 1000, .*done \(completed\)/,
      );
      await screenshot(page(), 'training-updated-zoomed', ID);
    },
  );

  browserIt('draws the loss on a log axis when asked', async () => {
    const shown = await choose(page(), ID, 'log loss', true);
    assert.equal(shown.plots[0].yType, 'log');
    assert.equal(shown.plots.length, 1);
  });
});
