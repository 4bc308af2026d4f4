/**
 * Embedding projections (eval/projection.ts) as JSON for a scatter plot.
 */
import { Projection } from '../eval/projection';
import { ProjectionPayload, ProjectionView } from './payloads';

function toView(projection: Projection): ProjectionView {
  const { coords, dims } = projection;
  const shown = projection.indices.length;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < shown; i++) {
    x.push(coords[i * dims]);
    y.push(coords[i * dims + 1]);
  }
  const labels = projection.labels;
  return {
    method: projection.method,
    x,
    y,
    labels: labels === null ? new Array(shown).fill(0) : Array.from(labels),
    explainedVariance:
      projection.explainedVariance === null
        ? null
        : Array.from(projection.explainedVariance),
  };
}

/**
 * One payload for projections of the same embeddings (e.g. PCA and
 * UMAP of one sample); the cap is the first one's.
 * @param classNames names by label; null numbers them
 */
export function buildProjectionPayload(
  projections: readonly Projection[],
  classNames: readonly string[] | null,
): ProjectionPayload {
  if (projections.length === 0) {
    throw new Error(
      'buildProjectionPayload: projections must hold at least one, but ' +
        'got 0',
    );
  }
  const views = projections.map(toView);
  const maxLabel = Math.max(0, ...views.flatMap((v) => v.labels));
  const names =
    classNames === null
      ? Array.from({ length: maxLabel + 1 }, (_, i) => `id ${i}`)
      : [...classNames];
  return { classNames: names, views, cap: { ...projections[0].cap } };
}
