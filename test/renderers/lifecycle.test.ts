/**
 * The renderer's life cycle in Chromium: messages to the extension host,
 * disposeOutputItem releasing plots (WebGL contexts included) and
 * listeners, the verification view, and the report bundle's functions
 * on a page without VS Code.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';

import type { VerificationPayload } from '../../kernels/subface/display/contract';
import {
  AGGREGATION_MIME,
  PROJECTION_MIME,
  TRAINING_MIME,
  VERIFICATION_MIME,
} from '../../kernels/subface/display/contract';
import {
  browserIt,
  fixture,
  fixtureText,
  screenshot,
  useHarness,
} from './browser';
import { call, drawCount, plotState, render, violations } from './harness_api';

interface Message {
  type: string;
  mime: string;
  outputId: string;
  ok: boolean;
}

describe('renderer life cycle', () => {
  const page = useHarness();

  browserIt('draws the verification table and a log-scale ROC', async () => {
    const payload = fixture<VerificationPayload>('verification');
    const shown = await render(
      page(),
      'verification',
      VERIFICATION_MIME,
      fixtureText('verification'),
    );
    assert.equal(shown.tableRows, payload.folds.length);
    assert.deepEqual(
      shown.firstColumn,
      payload.folds.map((f) => String(f.fold + 1)),
    );
    assert.equal(shown.firstColumn[0], '1');
    assert.equal(shown.plots[0].xType, 'log');
    assert.equal(shown.plots[0].traces[0].points, payload.roc.fpr.length);
    const accuracy = (payload.accuracy * 100).toFixed(2);
    assert.match(shown.status ?? '', new RegExp(`accuracy ${accuracy}%`));
    await screenshot(page(), 'verification', 'verification');
  });

  browserIt('tells the extension host about every output it drew', async () => {
    await render(page(), 'bad', TRAINING_MIME, '[]');
    const messages = await call<Message[]>(page(), 'messageList');
    const byId = Object.fromEntries(messages.map((m) => [m.outputId, m]));
    assert.equal(byId.verification.ok, true);
    assert.equal(byId.verification.type, 'rendered');
    assert.equal(byId.bad.ok, false);
  });

  browserIt(
    'purges the plot and its WebGL canvases on disposeOutputItem',
    async () => {
      const shown = await render(
        page(),
        'projection',
        PROJECTION_MIME,
        fixtureText('projection'),
      );
      assert.ok(shown.plots[0].canvases > 0, 'a WebGL plot has canvases');
      await call(page(), 'dispose', 'projection');
      assert.deepEqual(await plotState(page(), 'projection'), [
        { hasData: false, hasLayout: false, children: 0, canvases: 0 },
      ]);
    },
  );

  browserIt('stops following the theme once disposed', async () => {
    const before = await drawCount(page(), 'projection');
    await call(page(), 'setTheme', 'vscode-dark');
    await page().waitForTimeout(300);
    assert.equal(await drawCount(page(), 'projection'), before);
    await call(page(), 'setTheme', 'vscode-light');
  });

  browserIt('disposes every output when no id is given', async () => {
    await render(
      page(),
      'aggregation',
      AGGREGATION_MIME,
      fixtureText('aggregation'),
    );
    await call(page(), 'dispose');
    for (const id of ['verification', 'aggregation']) {
      const states = await plotState(page(), id);
      assert.ok(
        states.every((s) => !s.hasData && s.canvases === 0),
        id,
      );
    }
  });
});

describe('report bundle', () => {
  const page = useHarness('report.html', '');

  browserIt(
    'defines SubfaceViews with one render function per view',
    async () => {
      const names = await page().evaluate(() =>
        Object.keys(
          (globalThis as unknown as { SubfaceViews: object }).SubfaceViews,
        ),
      );
      for (const name of [
        'renderProjection',
        'renderAggregation',
        'renderTraining',
        'renderVerification',
        'renderPayload',
      ]) {
        assert.ok(names.includes(name), name);
      }
    },
  );

  browserIt(
    'draws on white without VS Code and its theme variables',
    async () => {
      const shown = await render(
        page(),
        'aggregation',
        AGGREGATION_MIME,
        fixtureText('aggregation'),
      );
      assert.equal(shown.error, null);
      assert.equal(shown.plots[0].background, '#ffffff');
      assert.deepEqual(shown.plots[0].colourRange, [0, 1]);
      await screenshot(page(), 'report-aggregation', 'aggregation');
      assert.deepEqual(await violations(page()), []);
    },
  );
});
