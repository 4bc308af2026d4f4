/**
 * Display caps: what one notebook output may hold. A payload over a cap
 * is thinned (evenly spaced, deterministic), its numbers are rounded to
 * what a chart can show, and its cap note says what was left out.
 */
import {
  AggregationPayload,
  AggregationRun,
  Cap,
  PairView,
  ProjectionNeighbors,
  ProjectionPayload,
  ProjectionView,
  Thumbnails,
  TrainingPayload,
  TrainingRun,
} from './contract';
import { evenIndices, makeCap, roundSignificant } from './numbers';

/** Aim for one output (payload + SVG + text), in bytes of JSON. */
export const MAX_OUTPUT_BYTES = 300_000;

export interface DisplayCaps {
  /** Projection points, over all views. Default 4000. */
  points: number;
  /** Thumbnail bytes in all; larger single images are left out. */
  thumbnailBytes: number;
  /** Logged steps over all training runs. Default 3000. */
  curvePoints: number;
  /** Heatmap cells per run. Default 5000. */
  cells: number;
  /** Further runs (aggregation and training). Default 4. */
  otherRuns: number;
  /** Pairs of the pair view. Default 1000. */
  pairs: number;
  /** Points drawn in the projection SVG, over all views. Default 500. */
  svgPoints: number;
  /** Heatmap cells drawn in the SVG per run. Default 1500. */
  svgCells: number;
}

export const DEFAULT_DISPLAY_CAPS: DisplayCaps = {
  points: 4000,
  thumbnailBytes: 60_000,
  curvePoints: 3000,
  cells: 5000,
  otherRuns: 4,
  pairs: 1000,
  svgPoints: 500,
  svgCells: 1500,
};

/** The largest single thumbnail kept, in characters of its data URL. */
export const MAX_THUMBNAIL_CHARS = 4000;

/** Digits kept of drawn values (coordinates, losses, cells). */
const DIGITS = 5;

function round(values: readonly number[]): number[];
function round(values: readonly (number | null)[]): (number | null)[];
function round(values: readonly (number | null)[]) {
  return values.map((v) => roundSignificant(v, DIGITS));
}

/** `cap` after keeping `shown` of the items it had shown. */
function narrowCap(cap: Cap, shown: number, what: string): Cap {
  if (shown >= cap.shown) return cap;
  const note =
    `${cap.note}; display cap: ${shown} of those ${cap.shown} ${what} ` +
    'kept (evenly spaced)';
  return makeCap(cap.total, shown, note);
}

function pick<T>(values: readonly T[], kept: readonly number[]): T[] {
  return kept.map((i) => values[i]);
}

/**
 * The neighbour lists of the kept points, as positions among them; a
 * neighbour that was not kept leaves its list (no embeddings here to
 * find the next one).
 */
function keptNeighbors(
  neighbors: ProjectionNeighbors,
  kept: readonly number[],
): ProjectionNeighbors {
  const position = new Map(kept.map((point, i) => [point, i]));
  const indices = kept.map((point) =>
    neighbors.indices[point]
      .map((other) => position.get(other))
      .filter((other): other is number => other !== undefined),
  );
  return { k: neighbors.k, indices };
}

function capView(view: ProjectionView, budget: number): ProjectionView {
  const kept = evenIndices(view.x.length, budget);
  const { neighbors } = view;
  return {
    ...view,
    x: round(pick(view.x, kept)),
    y: round(pick(view.y, kept)),
    ...(view.z === undefined ? {} : { z: round(pick(view.z, kept)) }),
    labels: pick(view.labels, kept),
    indices: pick(view.indices, kept),
    ...(neighbors === undefined
      ? {}
      : { neighbors: keptNeighbors(neighbors, kept) }),
    cap: narrowCap(view.cap, kept.length, 'points'),
  };
}

/** Thumbnails of shown points only, small ones first-come within budget. */
function capThumbnails(
  thumbnails: Thumbnails,
  views: readonly ProjectionView[],
  budget: number,
): Thumbnails {
  const images: { [index: string]: string } = {};
  let bytes = 0;
  const shown = new Set(views.flatMap((v) => v.indices.map(String)));
  for (const index of shown) {
    const url = thumbnails.images[index];
    if (url === undefined || url.length > MAX_THUMBNAIL_CHARS) continue;
    if (bytes + url.length > budget) break;
    images[index] = url;
    bytes += url.length;
  }
  const count = Object.keys(images).length;
  const total = thumbnails.cap.total;
  const note =
    count < total
      ? `${count} of ${total} thumbnails (shown points, images up to ` +
        `${MAX_THUMBNAIL_CHARS} characters, ${budget} in all)`
      : `all ${total} thumbnails`;
  return { ...thumbnails, images, cap: makeCap(total, count, note) };
}

/** Names of the labels no view shows become ''. */
function shownNames(names: readonly string[], views: ProjectionView[]) {
  const used = new Set(views.flatMap((v) => v.labels));
  return names.map((name, label) => (used.has(label) ? name : ''));
}

export function capProjection(
  payload: ProjectionPayload,
  caps: DisplayCaps = DEFAULT_DISPLAY_CAPS,
): ProjectionPayload {
  const budget = Math.max(1, Math.floor(caps.points / payload.views.length));
  const views = payload.views.map((view) => capView(view, budget));
  const largest = views.reduce((a, b) => (b.cap.shown > a.cap.shown ? b : a));
  const { thumbnails } = payload;
  return {
    ...payload,
    classNames: shownNames(payload.classNames, views),
    views,
    ...(thumbnails
      ? { thumbnails: capThumbnails(thumbnails, views, caps.thumbnailBytes) }
      : {}),
    cap: { ...largest.cap },
  };
}

function capTrainingRun(run: TrainingRun, budget: number): TrainingRun {
  const kept = evenIndices(run.steps.length, budget);
  return {
    ...run,
    steps: pick(run.steps, kept),
    loss: round(pick(run.loss, kept)),
    lr: round(pick(run.lr, kept)),
    samplesPerSecond: round(pick(run.samplesPerSecond, kept)),
    cap: narrowCap(run.cap, kept.length, 'logged steps'),
  };
}

/** ' ; 4 of 6 further runs kept', or '' when all are. */
function runsNote(all: readonly unknown[] | undefined, kept: number) {
  const total = all?.length ?? 0;
  return kept < total ? `; ${kept} of ${total} further runs kept` : '';
}

export function capTraining(
  payload: TrainingPayload,
  caps: DisplayCaps = DEFAULT_DISPLAY_CAPS,
): TrainingPayload {
  const others = (payload.otherRuns ?? []).slice(0, caps.otherRuns);
  const perRun = caps.curvePoints / (1 + others.length);
  const budget = Math.max(2, Math.floor(perRun));
  const run = capTrainingRun(payload, budget);
  const note = run.cap.note + runsNote(payload.otherRuns, others.length);
  return {
    ...payload,
    ...run,
    cap: { ...run.cap, note },
    ...(payload.otherRuns
      ? { otherRuns: others.map((other) => capTrainingRun(other, budget)) }
      : {}),
  };
}

function capPairs(pairs: PairView, max: number): PairView {
  const kept = evenIndices(pairs.full.length, max);
  return {
    ...pairs,
    full: round(pick(pairs.full, kept)),
    min: round(pick(pairs.min, kept)),
    mean: round(pick(pairs.mean, kept)),
    cap: narrowCap(pairs.cap, kept.length, 'pairs'),
  };
}

/** The first rows that fit the cell budget (rows keep their order). */
function capAggregationRun(run: AggregationRun, caps: DisplayCaps) {
  const maxRows = Math.max(1, Math.floor(caps.cells / run.columns.length));
  const rows = Math.min(run.rows.length, maxRows);
  const capped: AggregationRun = {
    ...run,
    rows: run.rows.slice(0, rows),
    rowLabels: run.rowLabels.slice(0, rows),
    rowCounts: run.rowCounts.slice(0, rows),
    values: run.values.slice(0, rows).map((row) => round(row)),
    gap: round(run.gap.slice(0, rows)),
    cap: narrowCap(run.cap, rows, 'rows'),
  };
  if (run.pairs) capped.pairs = capPairs(run.pairs, caps.pairs);
  return capped;
}

export function capAggregation(
  payload: AggregationPayload,
  caps: DisplayCaps = DEFAULT_DISPLAY_CAPS,
): AggregationPayload {
  const others = (payload.otherRuns ?? []).slice(0, caps.otherRuns);
  const run = capAggregationRun(payload, caps);
  const note = runsNote(payload.otherRuns, others.length);
  return {
    ...payload,
    ...run,
    notes: note === '' ? run.notes : [...run.notes, note.slice(2)],
    ...(payload.otherRuns
      ? { otherRuns: others.map((run) => capAggregationRun(run, caps)) }
      : {}),
  };
}

/** Every cap scaled by `factor` (for a second, smaller try). */
export function scaleCaps(caps: DisplayCaps, factor: number): DisplayCaps {
  const scale = (value: number) => Math.max(1, Math.floor(value * factor));
  return {
    points: scale(caps.points),
    thumbnailBytes: scale(caps.thumbnailBytes),
    curvePoints: scale(caps.curvePoints),
    cells: scale(caps.cells),
    otherRuns: caps.otherRuns,
    pairs: scale(caps.pairs),
    svgPoints: scale(caps.svgPoints),
    svgCells: scale(caps.svgCells),
  };
}
