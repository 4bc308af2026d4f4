/**
 * Theme handling in Chromium: plot colours follow VS Code's body class
 * and CSS variables (the harness sets the values of VS Code's default
 * themes), redraw when the theme changes, and the toolbar's "light
 * plots" toggle keeps every plot light and is stored in renderer state.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import {
  AGGREGATION_MIME,
  PROJECTION_MIME,
  TRAINING_MIME,
} from '../../kernels/subface/display/contract';
import { browserIt, fixtureText, screenshot, useHarness } from './browser';
import {
  call,
  choose,
  drawCount,
  inspect,
  render,
  settled,
} from './harness_api';

const OUTPUTS = ['training', 'aggregation'];

/** Switches the body class and waits for both outputs to redraw. */
async function switchTheme(page: Page, className: string) {
  const before = await Promise.all(OUTPUTS.map((id) => drawCount(page, id)));
  await call(page, 'setTheme', className);
  await Promise.all(OUTPUTS.map((id, i) => settled(page, id, before[i])));
}

async function backgrounds(page: Page) {
  const shown = await Promise.all(OUTPUTS.map((id) => inspect(page, id)));
  return shown.map((s) => [s.plots[0].background, s.plots[0].fontColour]);
}

describe('renderer themes', () => {
  const page = useHarness('page.html', 'vscode-dark');

  browserIt('draws with the dark theme colours of VS Code', async () => {
    const training = await render(
      page(),
      'training',
      TRAINING_MIME,
      fixtureText('training'),
    );
    await render(
      page(),
      'aggregation',
      AGGREGATION_MIME,
      fixtureText('aggregation'),
    );
    const [plot] = training.plots;
    assert.equal(plot.background, '#1f1f1f');
    assert.equal(plot.fontColour, '#cccccc');
    assert.equal(
      plot.traces[0].colour,
      '#3794ff',
      'runs take --vscode-charts-blue',
    );
    assert.equal(
      plot.traces[3].colour,
      '#d18616',
      'then --vscode-charts-orange',
    );
    assert.deepEqual(await backgrounds(page()), [
      ['#1f1f1f', '#cccccc'],
      ['#1f1f1f', '#cccccc'],
    ]);
    await screenshot(page(), 'dark-training', 'training');
    await screenshot(page(), 'dark-aggregation', 'aggregation');
  });

  browserIt(
    'redraws every output when VS Code switches to the light theme',
    async () => {
      await switchTheme(page(), 'vscode-light');
      assert.deepEqual(await backgrounds(page()), [
        ['#ffffff', '#3b3b3b'],
        ['#ffffff', '#3b3b3b'],
      ]);
    },
  );

  browserIt('follows a high contrast theme', async () => {
    await switchTheme(page(), 'vscode-high-contrast');
    assert.deepEqual(await backgrounds(page()), [
      ['#000000', '#ffffff'],
      ['#000000', '#ffffff'],
    ]);
    await screenshot(page(), 'high-contrast-training', 'training');
  });

  browserIt(
    'keeps every plot light after one toggle and stores the choice',
    async () => {
      await switchTheme(page(), 'vscode-dark');
      const before = await drawCount(page(), 'aggregation');
      await choose(page(), 'training', 'light plots', true);
      await settled(page(), 'aggregation', before);
      assert.deepEqual(await backgrounds(page()), [
        ['#ffffff', '#1f1f1f'],
        ['#ffffff', '#1f1f1f'],
      ]);
      const other = await inspect(page(), 'aggregation');
      assert.deepEqual(
        other.checked.find(([label]) => label === 'light plots'),
        ['light plots', true],
      );
      assert.deepEqual(await call(page(), 'storedState'), { keepLight: true });
      await screenshot(page(), 'dark-theme-light-plots', 'aggregation');
    },
  );

  browserIt('draws a projection in the dark theme', async () => {
    await choose(page(), 'training', 'light plots', false);
    const shown = await render(
      page(),
      'projection',
      PROJECTION_MIME,
      fixtureText('projection'),
    );
    assert.equal(shown.plots[0].background, '#1f1f1f');
    assert.deepEqual(await call(page(), 'storedState'), { keepLight: false });
    await screenshot(page(), 'dark-projection', 'projection');
  });
});
