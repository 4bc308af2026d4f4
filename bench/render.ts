/**
 * Renderer drawing time in headless Chromium (SwiftShader WebGL): from
 * renderOutputItem to the next painted frame, for a projection of 5k and
 * 50k points and a 200 x 64 (+ full) aggregation heatmap, each beside a
 * peer drawn in the same page:
 *   - projection 5k: plotly.js's plain SVG `scatter` of the same points;
 *   - heatmap: one canvas rectangle per cell (no axes, no hover), and
 *     plotly.js's plain heatmap of the same cells at the same size.
 * Also the time from a click on a 50k-point plot to the redrawn plot
 * with the neighbours listed.
 *
 *   npm run build && node media/build.mjs && npm run bench -- render
 *     [--repeats 3] [--svg-50k]
 *
 * The headline `ratio` is our 5k projection over the SVG scatter.
 * Every figure is a median over `repeats` fresh outputs.
 */
import type { Page } from 'playwright-core';

import type {
  AggregationPayload,
  ProjectionPayload,
} from '../kernels/subface/display/contract';
import {
  AGGREGATION_MIME,
  PROJECTION_MIME,
  SCHEMA_VERSION,
} from '../kernels/subface/display/contract';
import { assertPayload } from '../kernels/subface/display/validate';
import { launch, openHarness, skipReason } from '../test/renderers/browser';
import { call } from '../test/renderers/harness_api';

interface Options {
  repeats: number;
  svg50k: boolean;
}

function parseArgs(args: string[]): Options {
  const options: Options = { repeats: 3, svg50k: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--svg-50k') options.svg50k = true;
    else if (args[i] === '--repeats') options.repeats = Number(args[++i]);
    else throw new Error(`bench render: unknown option ${args[i]}`);
  }
  if (!(options.repeats >= 1)) {
    throw new Error('bench render: --repeats must be >= 1');
  }
  return options;
}

/** A seeded uniform generator in [0, 1). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** `numPoints` points around 40 identity centres, as one 2-D view. */
function projectionPayload(numPoints: number): ProjectionPayload {
  const next = uniform(numPoints);
  const numClasses = 40;
  const centres = Array.from({ length: numClasses }, () => [
    next() * 20,
    next() * 20,
  ]);
  const labels = Array.from({ length: numPoints }, (_, i) => i % numClasses);
  const spread = () => (next() + next() + next() - 1.5) * 2;
  const cap = {
    total: numPoints,
    shown: numPoints,
    sampled: false,
    note: `all ${numPoints}`,
  };
  const payload: ProjectionPayload = {
    schemaVersion: SCHEMA_VERSION,
    run: 'bench',
    classNames: centres.map((_, i) => `id ${i}`),
    views: [
      {
        method: 'umap',
        dims: 2,
        x: labels.map((l) => centres[l][0] + spread()),
        y: labels.map((l) => centres[l][1] + spread()),
        labels,
        indices: labels.map((_, i) => i),
        explainedVariance: null,
        cap,
        notes: [],
      },
    ],
    cap,
    notes: [],
  };
  assertPayload(PROJECTION_MIME, payload);
  return payload;
}

/** A table of `numRows` classes x `numBlocks` blocks plus `full`. */
function heatmapPayload(
  numRows: number,
  numBlocks: number,
): AggregationPayload {
  const next = uniform(numRows * numBlocks);
  const columns = [
    ...Array.from({ length: numBlocks }, (_, b) => `S${b + 1}`),
    'full',
  ];
  const values = Array.from({ length: numRows }, () =>
    columns.map(() => 0.3 + 0.65 * next()),
  );
  const mean = (c: number) =>
    values.reduce((s, row) => s + row[c], 0) / numRows;
  const payload: AggregationPayload = {
    schemaVersion: SCHEMA_VERSION,
    run: 'bench',
    rows: values.map((_, r) => `id ${r}`),
    rowLabels: values.map((_, r) => r),
    rowCounts: values.map(() => 10),
    columns,
    values,
    columnMeans: columns.map((_, c) => mean(c)),
    gap: values.map(
      (row) => row[numBlocks] - Math.min(...row.slice(0, numBlocks)),
    ),
    k: 8,
    seed: 0,
    blockMode: 'contiguous',
    center: 'samples',
    cap: {
      total: numRows,
      shown: numRows,
      sampled: false,
      note: `all ${numRows}`,
    },
    notes: [],
  };
  assertPayload(AGGREGATION_MIME, payload);
  return payload;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

let nextId = 0;

/** Median ms of `repeats` runs of a page timing, each on a fresh output. */
async function measure(
  page: Page,
  repeats: number,
  timing: (id: string) => Promise<number>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const id = `bench-${nextId++}`;
    samples.push(await timing(id));
    await call(page, 'dispose', id);
    await page.evaluate((outputId) => {
      const peers = (
        globalThis as unknown as { bench: { purge(id: string): void } }
      ).bench;
      peers.purge(outputId);
    }, id);
  }
  return samples;
}

/** A call of `window.bench[method]` in the page. */
function benchCall(page: Page, method: string, ...args: unknown[]) {
  return page.evaluate(
    ([name, values]) => {
      const peers = (
        globalThis as unknown as {
          bench: Record<string, (...a: unknown[]) => Promise<number>>;
        }
      ).bench;
      return peers[name](...values);
    },
    [method, args] as [string, unknown[]],
  );
}

/** ms from a click event on a point to the plot redrawn with neighbours. */
async function clickTime(page: Page, text: string): Promise<number> {
  const id = `bench-${nextId++}`;
  await call(page, 'renderOnly', id, PROJECTION_MIME, text);
  const started = Date.now();
  await call(page, 'emit', id, 'plotly_click', 0, 0);
  const elapsed = Date.now() - started;
  await call(page, 'dispose', id);
  return elapsed;
}

function line(label: string, ours: number, peer: number | null, peerName = '') {
  const ratio =
    peer === null
      ? ''
      : `  peer ${peer.toFixed(0)} ms (${peerName})  ratio ${(ours / peer).toFixed(2)}`;
  console.log(`${label.padEnd(22)} ${ours.toFixed(0).padStart(6)} ms${ratio}`);
}

export async function main(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const skip = skipReason();
  if (skip !== false) throw new Error(`bench render: ${skip}`);
  const browser = await launch();
  try {
    const page = await openHarness(browser, 'bench.html');
    const results = await run(page, options);
    console.log(JSON.stringify({ name: 'render', ...results }));
  } finally {
    await browser.close();
  }
}

async function run(page: Page, options: Options) {
  const { repeats } = options;
  const small = projectionPayload(5000);
  const large = projectionPayload(50000);
  const table = heatmapPayload(200, 64);
  const [smallText, largeText, tableText] = [small, large, table].map((p) =>
    JSON.stringify(p),
  );
  const ours = (mime: string, text: string) => (id: string) =>
    benchCall(page, 'renderer', id, mime, text);
  const svg = (payload: ProjectionPayload) => (id: string) =>
    benchCall(page, 'plainScatter', id, payload.views[0].x, payload.views[0].y);

  // Warm-up: the first draw also compiles plotly's code paths.
  await measure(page, 1, ours(PROJECTION_MIME, smallText));
  const projection5k = median(
    await measure(page, repeats, ours(PROJECTION_MIME, smallText)),
  );
  const svg5k = median(await measure(page, repeats, svg(small)));
  const projection50k = median(
    await measure(page, repeats, ours(PROJECTION_MIME, largeText)),
  );
  const svg50k = options.svg50k
    ? median(await measure(page, 1, svg(large)))
    : null;
  const clicks: number[] = [];
  for (let i = 0; i < repeats; i++)
    clicks.push(await clickTime(page, largeText));
  const click50k = median(clicks);
  const heatmap = median(
    await measure(page, repeats, ours(AGGREGATION_MIME, tableText)),
  );
  const canvas = median(
    await measure(page, repeats, (id) =>
      benchCall(page, 'canvasHeatmap', id, table.values),
    ),
  );
  // The aggregation view's plot height for 200 rows (its cap).
  const height = 1400;
  const plainHeatmap = median(
    await measure(page, repeats, (id) =>
      benchCall(page, 'plainHeatmap', id, table.values, height),
    ),
  );

  console.log(
    `render: ms from renderOutputItem to the next paint, median of ${repeats}`,
  );
  line('projection 5k points', projection5k, svg5k, 'plotly SVG scatter');
  line(
    'projection 50k points',
    projection50k,
    svg50k,
    'plotly SVG scatter 50k',
  );
  line('click at 50k points', click50k, null);
  line('heatmap 200 x 65', heatmap, canvas, 'canvas fill');
  line('heatmap 200 x 65', heatmap, plainHeatmap, 'plotly heatmap alone');
  const round = (value: number | null) =>
    value === null ? null : Math.round(value);
  return {
    ratio: Number((projection5k / svg5k).toFixed(3)),
    headline: 'our scattergl projection view / plotly SVG scatter, 5k points',
    repeats,
    ms: {
      projection5k: round(projection5k),
      svgScatter5k: round(svg5k),
      projection50k: round(projection50k),
      svgScatter50k: round(svg50k),
      click50k: round(click50k),
      heatmap200x65: round(heatmap),
      canvasHeatmap200x65: round(canvas),
      plotlyHeatmap200x65: round(plainHeatmap),
    },
    ratios: {
      projection5kOverSvg5k: Number((projection5k / svg5k).toFixed(3)),
      projection50kOverSvg50k:
        svg50k === null ? null : Number((projection50k / svg50k).toFixed(3)),
      heatmapOverCanvas: Number((heatmap / canvas).toFixed(3)),
      heatmapOverPlotlyHeatmap: Number((heatmap / plainHeatmap).toFixed(3)),
    },
  };
}
