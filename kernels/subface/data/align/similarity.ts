/**
 * Least-squares 2-D similarity transforms (rotation, uniform scale,
 * translation; no reflection, no shear) between matched point sets: the
 * transform InsightFace fits from 5 detected landmarks to its template.
 */
import { DataError } from '../types';

/** A point (x, y) in pixel coordinates. */
export type Point = readonly [number, number];

/**
 * x' = a x - b y + tx, y' = b x + a y + ty, where a = s cos(theta) and
 * b = s sin(theta) for scale s and a rotation theta from the +x axis
 * towards the +y axis (clockwise on screen, since image y points down).
 */
export interface SimilarityTransform {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * Below this mean squared spread (pixels^2) the source points carry no
 * usable scale or rotation: coincident or nearly so.
 */
const MIN_SPREAD = 1e-12;

function checkPoints(points: readonly Point[], what: string, where: string) {
  if (!Array.isArray(points)) {
    throw new DataError(
      `${where}: ${what} must be an array of [x, y] points, but got ` +
        typeof points,
    );
  }
  points.forEach((p, i) => {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1])
    ) {
      throw new DataError(
        `${where}: ${what}[${i}] must be a pair of finite numbers, but got ` +
          JSON.stringify(p),
      );
    }
  });
}

/**
 * Fits the similarity transform T that minimises sum |T(src[i]) - dst[i]|^2.
 * This is Umeyama's (1991) estimator restricted to proper rotations; with
 * the 4 parameters (a, b, tx, ty) the problem is linear, so the closed form
 * below is exact (the same answer as skimage's SimilarityTransform).
 *
 * @param src [n, 2] points, n >= 2, e.g. detected landmarks in an image.
 * @param dst [n, 2] matching points, e.g. `ARCFACE_TEMPLATE_112`.
 * @throws DataError when sizes differ, values are not finite, or the
 *   source points all coincide (no scale or rotation can be fitted).
 */
export function estimateSimilarity(
  src: readonly Point[],
  dst: readonly Point[],
): SimilarityTransform {
  const where = 'estimateSimilarity';
  checkPoints(src, 'src', where);
  checkPoints(dst, 'dst', where);
  if (src.length !== dst.length || src.length < 2) {
    throw new DataError(
      `${where}: src and dst must hold the same number (>= 2) of points, ` +
        `but got ${src.length} and ${dst.length}`,
    );
  }
  const n = src.length;

  let srcX = 0;
  let srcY = 0;
  let dstX = 0;
  let dstY = 0;
  for (let i = 0; i < n; i++) {
    srcX += src[i][0] / n;
    srcY += src[i][1] / n;
    dstX += dst[i][0] / n;
    dstY += dst[i][1] / n;
  }

  // Centred sums: spread of src, and the dot / cross terms with dst.
  let spread = 0;
  let dot = 0;
  let cross = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - srcX;
    const sy = src[i][1] - srcY;
    const dx = dst[i][0] - dstX;
    const dy = dst[i][1] - dstY;
    spread += sx * sx + sy * sy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
  }
  if (!(spread / n > MIN_SPREAD)) {
    throw new DataError(
      `${where}: src points must not all coincide, but got a mean ` +
        `squared spread of ${spread / n} around (${srcX}, ${srcY})`,
    );
  }

  const a = dot / spread;
  const b = cross / spread;
  return {
    a,
    b,
    tx: dstX - (a * srcX - b * srcY),
    ty: dstY - (b * srcX + a * srcY),
  };
}

/** Applies `t` to one point. */
export function applySimilarity(t: SimilarityTransform, p: Point): Point {
  return [t.a * p[0] - t.b * p[1] + t.tx, t.b * p[0] + t.a * p[1] + t.ty];
}

/** The inverse transform (`t` must have a non-zero scale). */
export function invertSimilarity(t: SimilarityTransform): SimilarityTransform {
  const norm = t.a * t.a + t.b * t.b;
  if (!(norm > 0)) {
    throw new DataError(
      `invertSimilarity: scale must be non-zero, but got a = ${t.a}, ` +
        `b = ${t.b}`,
    );
  }
  const a = t.a / norm;
  const b = -t.b / norm;
  return {
    a,
    b,
    tx: -(a * t.tx - b * t.ty),
    ty: -(b * t.tx + a * t.ty),
  };
}

/** The 2x3 matrix [[a, -b, tx], [b, a, ty]] (OpenCV `warpAffine` layout). */
export function similarityMatrix(
  t: SimilarityTransform,
): [[number, number, number], [number, number, number]] {
  return [
    [t.a, -t.b, t.tx],
    [t.b, t.a, t.ty],
  ];
}

/** Root-mean-square distance between T(src[i]) and dst[i], in pixels. */
export function similarityResidual(
  t: SimilarityTransform,
  src: readonly Point[],
  dst: readonly Point[],
): number {
  let sum = 0;
  for (let i = 0; i < src.length; i++) {
    const [x, y] = applySimilarity(t, src[i]);
    sum += (x - dst[i][0]) ** 2 + (y - dst[i][1]) ** 2;
  }
  return Math.sqrt(sum / src.length);
}
