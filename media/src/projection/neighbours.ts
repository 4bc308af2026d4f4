/**
 * Nearest neighbours of one shown point: the payload's own lists, made
 * by the kernel in the embedding space (cosine), when it has them;
 * else computed here on the coordinates drawn (2-D or 3-D), which are
 * neighbours on the map, not in the embedding space.
 */
import type { ProjectionView } from '../../../kernels/subface/display/contract';

/** Coordinates of the shown points; z only in 3-D. */
export interface Coordinates {
  x: readonly number[];
  y: readonly number[];
  z?: readonly number[];
}

export interface Neighbour {
  /** Position in the view's arrays. */
  point: number;
  /** Distance on the map; null for the payload's embedding neighbours. */
  distance: number | null;
}

/** Where a list of neighbours was found. */
export type NeighbourSpace = 'embedding' | 'projection';

/** Neighbours listed for a clicked point. */
export const NUM_NEIGHBOURS = 8;

/**
 * The `k` points closest to point `from` (itself left out), closest
 * first. One pass keeps a sorted list of the best k, O(n k).
 */
export function nearestNeighbours(
  coords: Coordinates,
  from: number,
  k = NUM_NEIGHBOURS,
): Neighbour[] {
  const { x, y, z } = coords;
  const best: { point: number; squared: number }[] = [];
  for (let point = 0; point < x.length; point++) {
    if (point === from) continue;
    const dx = x[point] - x[from];
    const dy = y[point] - y[from];
    const dz = z === undefined ? 0 : z[point] - z[from];
    const squared = dx * dx + dy * dy + dz * dz;
    if (best.length === k && squared >= best[k - 1].squared) continue;

    // Insert in order; the list never grows past k.
    let at = best.length;
    while (at > 0 && best[at - 1].squared > squared) at--;
    best.splice(at, 0, { point, squared });
    if (best.length > k) best.pop();
  }
  return best.map((n) => ({ point: n.point, distance: Math.sqrt(n.squared) }));
}

/**
 * The neighbours of `from`: the view's embedding-space lists when it
 * has them, else the nearest on the drawn coordinates.
 */
export function neighboursOf(
  view: ProjectionView,
  coords: Coordinates,
  from: number,
): { space: NeighbourSpace; neighbours: Neighbour[] } {
  const lists = view.neighbors;
  if (lists === undefined) {
    const neighbours = nearestNeighbours(coords, from);
    return { space: 'projection', neighbours };
  }
  const neighbours = lists.indices[from].map((point) => ({
    point,
    distance: null,
  }));
  return { space: 'embedding', neighbours };
}
