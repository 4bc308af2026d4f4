/**
 * Embedding projections (eval/projection.ts) as the projection payload.
 */
import { Projection } from '../eval/projection';
import {
  ProjectionPayload,
  ProjectionView,
  SCHEMA_VERSION,
} from '../display/contract';
import { DEFAULT_RUN_NAME } from './training_payload';

/** Axis `axis` of the row-major coords [shown, dims]. */
function column(projection: Projection, axis: number): number[] {
  const { coords, dims } = projection;
  return Array.from(projection.indices, (_, i) => coords[i * dims + axis]);
}

function toView(projection: Projection): ProjectionView {
  const shown = projection.indices.length;
  const { labels, explainedVariance } = projection;
  return {
    method: projection.method,
    dims: projection.dims,
    x: column(projection, 0),
    y: column(projection, 1),
    ...(projection.dims === 3 ? { z: column(projection, 2) } : {}),
    labels: labels === null ? new Array(shown).fill(0) : Array.from(labels),
    indices: Array.from(projection.indices),
    explainedVariance:
      explainedVariance === null ? null : Array.from(explainedVariance),
    cap: { ...projection.cap },
    notes: [...projection.notes],
  };
}

/** Given names, completed with 'id <label>' up to the largest label. */
function namesFor(
  views: readonly ProjectionView[],
  classNames: readonly string[] | null,
): string[] {
  const maxLabel = Math.max(0, ...views.flatMap((v) => v.labels));
  const given = classNames ?? [];
  const count = Math.max(maxLabel + 1, given.length);
  return Array.from({ length: count }, (_, i) => given[i] ?? `id ${i}`);
}

/**
 * One payload for projections of the same embeddings (e.g. PCA and
 * UMAP of one sample); its cap is the largest view's.
 * @param classNames names by label; null numbers them
 */
export function buildProjectionPayload(
  projections: readonly Projection[],
  classNames: readonly string[] | null,
  run = DEFAULT_RUN_NAME,
): ProjectionPayload {
  if (projections.length === 0) {
    throw new Error(
      'buildProjectionPayload: projections must hold at least one, but ' +
        'got 0',
    );
  }
  const views = projections.map(toView);
  const largest = views.reduce((a, b) => (b.cap.shown > a.cap.shown ? b : a));
  return {
    schemaVersion: SCHEMA_VERSION,
    run,
    classNames: namesFor(views, classNames),
    views,
    cap: { ...largest.cap },
    notes: [],
  };
}
