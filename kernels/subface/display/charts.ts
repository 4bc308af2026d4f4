/**
 * Vega-Lite specs of the static fallbacks of the projection and the
 * aggregation views. Each draws a capped sample so the SVG stays small;
 * `drawn` says how much it holds.
 */
import type { TopLevelSpec } from 'vega-lite';

import {
  AggregationPayload,
  AggregationRun,
  PairView,
  ProjectionPayload,
  ProjectionView,
} from './contract';
import { evenIndices } from './numbers';
import { PANEL_HEIGHT, PANEL_WIDTH, SVG_CONFIG } from './svg';

/** Heatmap rows drawn per run (at most), and runs side by side. */
export const SVG_MAX_ROWS = 50;
export const SVG_MAX_RUNS = 3;

/** Pairs drawn in the pair scatter. */
export const SVG_MAX_PAIRS = 300;

/** Class legends longer than this are left out. */
const MAX_LEGEND_CLASSES = 12;

export interface Chart {
  spec: TopLevelSpec;
  /** What the image holds, e.g. '600 of 5000 points drawn'. */
  drawn: string;
}

/** One chart of a concatenation. */
export type Panel = Extract<
  TopLevelSpec,
  { hconcat: unknown }
>['hconcat'][number];

function scatterPanel(
  view: ProjectionView,
  classNames: readonly string[],
  budget: number,
): { panel: Panel; count: number } {
  const kept = evenIndices(view.x.length, budget);
  const values = kept.map((i) => ({
    x: view.x[i],
    y: view.y[i],
    name: classNames[view.labels[i]] || `id ${view.labels[i]}`,
  }));
  const numClasses = new Set(values.map((v) => v.name)).size;
  const axes = view.dims === 3 ? ' (x, y of 3-D)' : '';
  const panel: Panel = {
    title: {
      text: `${view.method.toUpperCase()}${axes}`,
      subtitle: `${kept.length} of ${view.cap.total} points`,
    },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values },
    // Squares: the shortest SVG path per point.
    mark: { type: 'square', size: 12, opacity: 0.8 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', scale: { zero: false } },
      color: {
        field: 'name',
        type: 'nominal',
        title: 'identity',
        ...(numClasses > MAX_LEGEND_CLASSES ? { legend: null } : {}),
      },
    },
  };
  return { panel, count: kept.length };
}

/** Scatter plots of every view, side by side. */
export function projectionChart(
  payload: ProjectionPayload,
  maxPoints: number,
): Chart {
  const budget = Math.max(1, Math.floor(maxPoints / payload.views.length));
  const panels = payload.views.map((view) =>
    scatterPanel(view, payload.classNames, budget),
  );
  const drawn = panels.reduce((sum, p) => sum + p.count, 0);
  const inPayload = payload.views.reduce((sum, v) => sum + v.x.length, 0);
  return {
    spec: { config: SVG_CONFIG, hconcat: panels.map((p) => p.panel) },
    drawn: `${drawn} of ${inPayload} points drawn`,
  };
}

function heatmapPanel(
  run: AggregationRun,
  domain: [number, number],
  maxCells: number,
): { panel: Panel; rows: number } {
  const fit = Math.max(1, Math.floor(maxCells / run.columns.length));
  const rows = Math.min(run.rows.length, SVG_MAX_ROWS, fit);
  const values = run.values
    .slice(0, rows)
    .flatMap((row, r) =>
      row.flatMap((value, c) =>
        value === null
          ? []
          : [{ row: run.rows[r], column: run.columns[c], value }],
      ),
    );
  const panel: Panel = {
    title: {
      text: run.run,
      subtitle: `${rows} of ${run.cap.total} classes, k = ${run.k}`,
    },
    width: { step: 36 },
    height: { step: 10 },
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'column', type: 'ordinal', sort: run.columns, title: null },
      y: {
        field: 'row',
        type: 'ordinal',
        sort: run.rows.slice(0, rows),
        title: null,
        axis: { labelFontSize: 8 },
      },
      color: {
        field: 'value',
        type: 'quantitative',
        title: 'A[c, S]',
        scale: { scheme: 'viridis', domain },
      },
    },
  };
  return { panel, rows };
}

function pairPanel(pairs: PairView): Panel {
  const kept = evenIndices(pairs.full.length, SVG_MAX_PAIRS);
  const values = kept.flatMap((i) => [
    { full: pairs.full[i], sub: pairs.min[i], of: 'min' },
    { full: pairs.full[i], sub: pairs.mean[i], of: 'mean' },
  ]);
  return {
    title: {
      text: 'same-identity pairs',
      subtitle: `${kept.length} of ${pairs.summary.numPairs} pairs`,
    },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values: values.filter((v) => v.full !== null && v.sub !== null) },
    mark: { type: 'square', size: 12, opacity: 0.6 },
    encoding: {
      x: {
        field: 'full',
        type: 'quantitative',
        title: 'full cosine',
        scale: { zero: false },
      },
      y: {
        field: 'sub',
        type: 'quantitative',
        scale: { zero: false },
        title: `sub-cosine (T = ${pairs.numDraws}, k = ${pairs.k})`,
      },
      color: { field: 'of', type: 'nominal', title: null },
    },
  };
}

/** The range of the defined cells of every run (one colour scale). */
function valueDomain(runs: readonly AggregationRun[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of runs.flatMap((r) => r.values.flat())) {
    if (value === null) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return low <= high ? [low, high] : [0, 1];
}

/** Heatmaps of the run and up to two further runs, then the pairs. */
export function aggregationChart(
  payload: AggregationPayload,
  maxCells: number,
): Chart {
  const runs = [payload, ...(payload.otherRuns ?? [])];
  const drawnRuns = runs.slice(0, SVG_MAX_RUNS);
  const domain = valueDomain(drawnRuns);
  const heatmaps = drawnRuns.map((run) => heatmapPanel(run, domain, maxCells));
  const panels = heatmaps.map((h) => h.panel);
  if (payload.pairs) panels.push(pairPanel(payload.pairs));
  const rows = heatmaps[0].rows;
  const extra =
    runs.length > drawnRuns.length
      ? `; ${drawnRuns.length} of ${runs.length} runs drawn`
      : '';
  return {
    spec: {
      config: SVG_CONFIG,
      hconcat: panels,
      resolve: { scale: { color: 'independent' } },
    },
    drawn: `${rows} of ${payload.rows.length} rows drawn${extra}`,
  };
}
