/**
 * Embedding projections (eval/projection.ts) as the projection payload,
 * with each point's nearest neighbours in the embedding space when the
 * embeddings are given.
 */
import {
  ProjectionNeighbors,
  ProjectionPayload,
  ProjectionView,
  SCHEMA_VERSION,
} from '../display/contract';
import { EmbeddingMatrix, Rows, toRows } from '../eval/matrix';
import { Projection } from '../eval/projection';
import { checkNumber, fail } from './errors';
import {
  cosineNeighbors,
  DEFAULT_NEIGHBORS,
  MAX_NEIGHBOR_POINTS,
} from './projection_neighbors';
import { DEFAULT_RUN_NAME } from './training_payload';

export interface ProjectionPayloadOptions {
  /** The run's name. Default 'run'. */
  run?: string;
  /**
   * The embeddings the projections were made from, [n, dim] (the rows
   * their `indices` refer to). Given, every view of at most 2000 points
   * lists each point's nearest neighbours in this space. Default none.
   */
  embeddings?: EmbeddingMatrix | null;
  /** Neighbours per point. Default 8. */
  numNeighbors?: number;
}

const WHERE = 'buildProjectionPayload';

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

function sameIndices(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Gives each view its points' neighbour lists (none for a single
 * point), computed once per distinct sample: PCA and UMAP of one sample
 * share theirs. A view over MAX_NEIGHBOR_POINTS says in its notes why
 * it has none.
 */
function addNeighbors(
  views: ProjectionView[],
  projections: readonly Projection[],
  embeddings: EmbeddingMatrix,
  numNeighbors: number,
): void {
  const numRows = projections[0].cap.total;
  const other = projections.find((p) => p.cap.total !== numRows);
  if (other !== undefined) {
    const what = 'projections of embeddings';
    fail(WHERE, what, `of ${numRows} rows each`, other.cap.total);
  }
  const rows: Rows = toRows(WHERE, embeddings, numRows);
  const done: { indices: Int32Array; lists: ProjectionNeighbors | null }[] = [];
  views.forEach((view, v) => {
    const { indices } = projections[v];
    if (indices.length > MAX_NEIGHBOR_POINTS) {
      view.notes.push(
        `no embedding-space neighbours: ${indices.length} points, over ` +
          `the ${MAX_NEIGHBOR_POINTS} searched (the search is quadratic)`,
      );
      return;
    }
    let found = done.find((d) => sameIndices(d.indices, indices));
    if (found === undefined) {
      const lists = cosineNeighbors(rows, indices, numNeighbors);
      found = { indices, lists };
      done.push(found);
    }
    if (found.lists !== null) view.neighbors = found.lists;
  });
}

/**
 * One payload for projections of the same embeddings (e.g. PCA and
 * UMAP of one sample); its cap is the largest view's.
 * @param classNames names by label; null numbers them
 */
export function buildProjectionPayload(
  projections: readonly Projection[],
  classNames: readonly string[] | null,
  options: ProjectionPayloadOptions = {},
): ProjectionPayload {
  if (projections.length === 0) {
    fail(WHERE, 'projections', 'a list of at least one', projections);
  }
  const numNeighbors = checkNumber(
    WHERE,
    'numNeighbors',
    options.numNeighbors ?? DEFAULT_NEIGHBORS,
    { min: 1, integer: true },
  );
  const views = projections.map(toView);
  const { embeddings } = options;
  if (embeddings != null) {
    addNeighbors(views, projections, embeddings, numNeighbors);
  }
  const largest = views.reduce((a, b) => (b.cap.shown > a.cap.shown ? b : a));
  return {
    schemaVersion: SCHEMA_VERSION,
    run: options.run ?? DEFAULT_RUN_NAME,
    classNames: namesFor(views, classNames),
    views,
    cap: { ...largest.cap },
    notes: [],
  };
}
