/**
 * `sf.show.*`: one notebook output per call, holding the whole MIME
 * bundle (our +json payload, an SVG fallback, text/plain). Each accepts
 * a payload or the library's own result and returns the bundle it sent.
 *
 * In a notebook, `await` the call so the output belongs to its cell.
 * Outside a tslab kernel nothing can be drawn: the text/plain form is
 * printed to stdout once, and the bundle is still returned.
 */
import { AggregationTable } from '../eval/aggregation';
import { SetEvaluation } from '../eval/evaluate_set';
import { PairAggregation } from '../eval/pair_aggregation';
import { EmbeddingMatrix } from '../eval/matrix';
import { Projection } from '../eval/projection';
import {
  buildAggregationPayload,
  buildPairViewPayload,
  DEFAULT_HEATMAP_ROWS,
} from '../report/aggregation_payload';
import { fail } from '../report/errors';
import { buildProjectionPayload } from '../report/projection_payload';
import { buildTrainingCurves, MetricRecord } from '../report/training_payload';
import { buildVerificationPayload } from '../report/verification_payload';
import { makeBundle, MimeBundle, withShortForm } from './bundle';
import { DEFAULT_DISPLAY_CAPS, DisplayCaps } from './caps';
import {
  AggregationPayload,
  AggregationRun,
  PairView,
  PayloadKind,
  PayloadOf,
  ProjectionPayload,
  Thumbnails,
  TrainingPayload,
  TrainingRun,
  VerificationPayload,
} from './contract';
import { emitBundle, SHOWN_IN_KERNEL } from './emit';
import { makeCap } from './numbers';

export interface ShowOptions {
  /** Names the output so a later call with `update` replaces it. */
  displayId?: string;
  /** Replace the output named `displayId` instead of adding one. */
  update?: boolean;
  /** Smaller or larger caps than DEFAULT_DISPLAY_CAPS. */
  caps?: Partial<DisplayCaps>;
  /** The run's name (when the input is not a payload). */
  run?: string;
}

/** Builds, emits and returns one bundle. */
async function show<K extends PayloadKind>(
  kind: K,
  payload: PayloadOf[K],
  options: ShowOptions,
): Promise<MimeBundle> {
  const caps = { ...DEFAULT_DISPLAY_CAPS, ...options.caps };
  const bundle = await makeBundle(kind, payload, caps);
  const { displayId, update } = options;
  if (displayId !== undefined) bundle.transient = { display_id: displayId };
  if (emitBundle(bundle, { displayId, update }) === 'kernel') {
    Object.defineProperty(bundle, SHOWN_IN_KERNEL, { value: true });
  }
  return withShortForm(bundle);
}

function isPayload(input: object): boolean {
  return 'schemaVersion' in input;
}

/** A run without the payload-only fields (it may be a whole payload). */
function runOnly<T extends object>(run: T): T {
  const copy = { ...run } as Record<string, unknown>;
  delete copy.schemaVersion;
  delete copy.otherRuns;
  return copy as T;
}

export interface ProjectionOptions extends ShowOptions {
  /** Identity names by label. Default 'id <label>'. */
  classNames?: readonly string[] | null;
  /** data:image/... URLs by input row (null where none). */
  thumbnails?: readonly (string | null | undefined)[];
  /** Drawn size of a thumbnail in pixels. Default 32. */
  thumbnailSize?: number;
  /**
   * The embeddings the projections were made from, [n, dim]: given,
   * a clicked point lists its nearest neighbours in this space rather
   * than on the map. Not for a payload input. Default none.
   */
  embeddings?: EmbeddingMatrix | null;
  /** Neighbours listed per point. Default 8. */
  numNeighbors?: number;
}

function thumbnailsOf(
  urls: readonly (string | null | undefined)[],
  size: number,
): Thumbnails {
  const images: { [index: string]: string } = {};
  urls.forEach((url, index) => {
    if (url) images[String(index)] = url;
  });
  const total = Object.keys(images).length;
  const cap = makeCap(total, total, `all ${total} thumbnails`);
  return { images, width: size, height: size, cap };
}

/** Scatter plots of projections (PCA, UMAP, t-SNE), one per method. */
export function projection(
  input: ProjectionPayload | Projection | readonly Projection[],
  options: ProjectionOptions = {},
): Promise<MimeBundle> {
  const { classNames, run, embeddings, numNeighbors } = options;
  let payload: ProjectionPayload;
  if (isPayload(input as object)) {
    if (embeddings != null) {
      const expected = 'projections, not a payload, when embeddings are given';
      fail('show.projection', 'input', expected, 'a payload');
    }
    payload = input as ProjectionPayload;
  } else {
    const projections = Array.isArray(input)
      ? (input as readonly Projection[])
      : [input as Projection];
    payload = buildProjectionPayload(projections, classNames ?? null, {
      run,
      embeddings,
      numNeighbors,
    });
  }
  if (options.thumbnails !== undefined) {
    const size = options.thumbnailSize ?? 32;
    payload = {
      ...payload,
      thumbnails: thumbnailsOf(options.thumbnails, size),
    };
  }
  return show('projection', payload, options);
}

export interface HeatmapOptions extends ShowOptions {
  /** Identity names by label. Default 'id <label>'. */
  classNames?: readonly string[] | null;
  /** First rows kept of a table. Default 50. */
  maxRows?: number;
  /** The pair view of the same embeddings. */
  pairs?: PairAggregation | PairView | null;
  /** Further runs (e.g. the baseline), for side-by-side views. */
  otherRuns?: readonly AggregationRun[];
}

function pairViewOf(pairs: PairAggregation | PairView): PairView {
  return 'pairs' in pairs ? buildPairViewPayload(pairs) : pairs;
}

/** The class x subspace aggregation heatmap (and the pair view). */
export function heatmap(
  input: AggregationPayload | AggregationTable,
  options: HeatmapOptions = {},
): Promise<MimeBundle> {
  let payload: AggregationPayload = isPayload(input)
    ? (input as AggregationPayload)
    : buildAggregationPayload(
        input as AggregationTable,
        options.classNames ?? null,
        options.maxRows ?? DEFAULT_HEATMAP_ROWS,
        options.run === undefined ? {} : { run: options.run },
      );
  if (options.pairs) payload = { ...payload, pairs: pairViewOf(options.pairs) };
  if (options.otherRuns !== undefined) {
    payload = { ...payload, otherRuns: options.otherRuns.map(runOnly) };
  }
  return show('aggregation', payload, options);
}

export interface CurvesOptions extends ShowOptions {
  /** Further runs drawn on the same axes. */
  otherRuns?: readonly TrainingRun[];
}

/** Loss, learning rate and accuracy against step. */
export function curves(
  input: TrainingPayload | readonly MetricRecord[],
  options: CurvesOptions = {},
): Promise<MimeBundle> {
  let payload: TrainingPayload = Array.isArray(input)
    ? buildTrainingCurves(input, { run: options.run })
    : (input as TrainingPayload);
  if (options.otherRuns !== undefined) {
    payload = { ...payload, otherRuns: options.otherRuns.map(runOnly) };
  }
  return show('training', payload, options);
}

/** The 10-fold verification table and the ROC. */
export function verification(
  input: VerificationPayload | SetEvaluation,
  options: ShowOptions = {},
): Promise<MimeBundle> {
  const payload = isPayload(input)
    ? (input as VerificationPayload)
    : buildVerificationPayload(input as SetEvaluation, undefined, options.run);
  return show('verification', payload, options);
}
