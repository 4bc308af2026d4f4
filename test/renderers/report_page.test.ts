/**
 * The CLI's report.html in Chromium: written by the real writeReport
 * from the committed fixture payloads, opened from a file:// URL with
 * the network offline, and drawn by the inlined report bundle alone.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import type {
  AggregationPayload,
  PayloadKind,
  ProjectionPayload,
  TrainingPayload,
  VerificationPayload,
} from '../../kernels/subface/display/contract';
import { ReportPayloads, writeReport } from '../../kernels/subface/report';
import { ARTIFACTS, browserIt, fixture, launch, skipReason } from './browser';

const HOSTILE = '</script><script>document.title = "owned"</script>';

/** The fixtures, with a run summary and a name that tries to break out. */
function reportPayloads(): ReportPayloads {
  const projection = fixture<ProjectionPayload>('projection');
  projection.classNames[0] = HOSTILE;
  return {
    title: 'SubFace run fixtures',
    summary: {
      run: 'runs/fixtures',
      backend: 'cpu',
      steps: 1000,
      seconds: 12.5,
      rows: [
        ['data', 'synthetic'],
        ['loss', HOSTILE],
      ],
    },
    training: fixture<TrainingPayload>('training'),
    verification: fixture<VerificationPayload>('verification'),
    projection,
    aggregation: fixture<AggregationPayload>('aggregation'),
  };
}

/** What one view's element holds after drawing. */
interface ViewState {
  kind: PayloadKind;
  plots: number;
  traces: number;
  errors: number;
  toggles: string[];
  backgrounds: string[];
}

/** The few DOM features read in the page (no DOM lib in the tests). */
interface PageNode {
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
  data?: unknown[];
  _fullLayout?: { paper_bgcolor: string };
}

interface PageDocument {
  title: string;
  body: { dataset: Record<string, string | undefined> };
  getElementById(id: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
}

const KINDS: PayloadKind[] = [
  'training',
  'verification',
  'projection',
  'aggregation',
];

/** Plots each view draws for the fixtures (aggregation: heatmap, pairs). */
const EXPECTED_PLOTS: Record<PayloadKind, number> = {
  training: 1,
  verification: 1,
  projection: 1,
  aggregation: 2,
};

describe('report.html', () => {
  let browser: Browser | null = null;
  let page: Page | null = null;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  before(async () => {
    if (skipReason() !== false) return;
    const dir = path.join(ARTIFACTS, 'report');
    fs.mkdirSync(dir, { recursive: true });
    const written = await writeReport(dir, reportPayloads());

    browser = await launch();
    const context = await browser.newContext({
      offline: true,
      viewport: { width: 1200, height: 900 },
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      const url = request.url();
      if (!/^(file|data|blob):/.test(url)) requests.push(url);
    });
    await page.goto(pathToFileURL(written.path).href);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: PageDocument }).document.body
          .dataset.subfaceDrawn === 'true',
      null,
      { timeout: 120000 },
    );
  });

  after(async () => {
    await browser?.close();
  });

  function openPage(): Page {
    if (page === null) throw new Error('report.html is not open');
    return page;
  }

  browserIt('draws every view without an error box', async () => {
    // Runs in the page: nothing from this module is in scope there.
    const states = await openPage().evaluate((kinds) => {
      const doc = (globalThis as unknown as { document: PageDocument })
        .document;
      return kinds.map((kind) => {
        const element = doc.getElementById(`subface-${kind}-view`);
        if (element === null) throw new Error(`no element for ${kind}`);
        const plots = Array.from(element.querySelectorAll('.js-plotly-plot'));
        const labels = Array.from(
          element.querySelectorAll('.subface-toolbar label'),
        );
        return {
          kind,
          plots: plots.length,
          traces: plots.reduce((sum, p) => sum + (p.data?.length ?? 0), 0),
          errors: element.querySelectorAll('.subface-error').length,
          toggles: labels.map((label) => (label.textContent ?? '').trim()),
          backgrounds: plots.map((p) => p._fullLayout?.paper_bgcolor ?? ''),
        };
      });
    }, KINDS);

    for (const state of states as ViewState[]) {
      assert.equal(state.errors, 0, `${state.kind}: error box`);
      assert.equal(state.plots, EXPECTED_PLOTS[state.kind], state.kind);
      assert.ok(state.traces > 0, `${state.kind}: traces`);
      assert.ok(!state.toggles.includes('light plots'), state.kind);
      assert.ok(
        state.backgrounds.every((colour) => colour === '#ffffff'),
        `${state.kind}: light plots`,
      );
    }
    await openPage().screenshot({
      path: path.join(ARTIFACTS, 'report-page.png'),
      fullPage: true,
    });
  });

  browserIt('logs no error and asks nothing of the network', async () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, []);
  });

  browserIt('shows the run summary and names as text only', async () => {
    const seen = await openPage().evaluate(() => {
      const doc = (globalThis as unknown as { document: PageDocument })
        .document;
      return {
        title: doc.title,
        scripts: doc.querySelectorAll('script').length,
        summaryRows: doc.querySelectorAll('.subface-summary tr').length,
        summary: doc.querySelectorAll('.subface-summary')[0]?.textContent ?? '',
      };
    });
    assert.equal(seen.title, 'SubFace run fixtures');
    // Four payload tags, the bundle and the drawing script.
    assert.equal(seen.scripts, 6);
    assert.equal(seen.summaryRows, 2);
    assert.ok(seen.summary.includes(HOSTILE));
  });
});
