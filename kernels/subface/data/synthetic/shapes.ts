/**
 * Anti-aliased shapes for the face rasteriser. Each shape is an implicit
 * function g(u, v) <= 0 in its own local frame, placed on the image by an
 * affine map (centre + 2x2 matrix). The rasteriser asks for an
 * approximate signed distance in pixels, g / |grad g|, and turns it into
 * a coverage of 0.5 - distance: analytic anti-aliasing, one evaluation
 * per pixel instead of a supersampling grid.
 *
 * Distances are computed a row at a time, and every local shape is one
 * class with a `kind` switch, so the pixel loop stays monomorphic: with a
 * class per shape, V8's dispatch cost more than the arithmetic.
 */

/** Axis-aligned pixel box, x0/y0 inclusive, x1/y1 exclusive. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Anything the rasteriser can fill. */
export interface Shape {
  /**
   * Writes the approximate signed distance in pixels (negative inside)
   * of pixel centres (x + 0.5, y + 0.5) for x0 <= x < x1 to out[x].
   */
  distanceRow(y: number, x0: number, x1: number, out: Float32Array): void;
  /** Pixels outside this box are fully outside the shape. */
  bounds(): Box;
}

/** An affine frame: pixel = centre + matrix * (u, v). */
export interface Frame {
  cx: number;
  cy: number;
  /** Columns (a, c) and (b, d): the images of the local u and v axes. */
  a: number;
  b: number;
  c: number;
  d: number;
}

/** Parameters of a band, all in local units. */
export interface BandShape {
  /** The centre line is v = bend * u^2 (negative: ends up). */
  bend: number;
  /** Half-thickness above the centre line at u = 0. */
  above: number;
  /** Half-thickness below the centre line at u = 0. */
  below: number;
  /**
   * Thickness falls as 1 - |u|^taper: 2 gives pointed lens ends, large
   * values nearly constant thickness with blunt ends.
   */
  taper: number;
}

const ELLIPSE = 0;
const ROUNDED_BOX = 1;
const RING = 2;
const FACE_OVAL = 3;
const BAND = 4;

class LocalShape implements Shape {
  private readonly ia: number;
  private readonly ib: number;
  private readonly ic: number;
  private readonly id: number;

  constructor(
    private readonly frame: Frame,
    private readonly kind: number,
    private readonly extentU: number,
    private readonly extentV: number,
    /** Ring thickness, oval taper or band bend. */
    private readonly p0 = 0,
    private readonly p1 = 0,
    private readonly p2 = 0,
    private readonly p3 = 0,
  ) {
    const { a, b, c, d } = frame;
    // A feature turned edge-on gets a tiny determinant instead of a
    // division by zero.
    const det = a * d - b * c || 1e-9;
    this.ia = d / det;
    this.ib = -b / det;
    this.ic = -c / det;
    this.id = a / det;
  }

  distanceRow(y: number, x0: number, x1: number, out: Float32Array): void {
    const { ia, ib, ic, id, kind, p0, p1, p2, p3 } = this;
    const dy = y + 0.5 - this.frame.cy;
    const dx0 = x0 + 0.5 - this.frame.cx;
    let u = ia * dx0 + ib * dy;
    let v = ic * dx0 + id * dy;
    for (let x = x0; x < x1; x++, u += ia, v += ic) {
      let g: number;
      let gu: number;
      let gv: number;
      if (kind === ELLIPSE) {
        g = u * u + v * v - 1;
        gu = 2 * u;
        gv = 2 * v;
      } else if (kind === ROUNDED_BOX) {
        const u2 = u * u;
        const v2 = v * v;
        g = u2 * u2 + v2 * v2 - 1;
        gu = 4 * u2 * u;
        gv = 4 * v2 * v;
      } else if (kind === RING) {
        const r = Math.sqrt(u * u + v * v) || 1e-9;
        const sign = r >= 1 ? 1 : -1;
        g = sign * (r - 1) - p0;
        gu = (sign * u) / r;
        gv = (sign * v) / r;
      } else if (kind === FACE_OVAL) {
        // (u / (1 - taper v))^2 + v^2 <= 1, v pointing to the chin.
        const width = Math.max(0.05, 1 - p0 * v);
        const q = u / width;
        g = q * q + v * v - 1;
        gu = (2 * q) / width;
        gv = (2 * q * q * p0) / width + 2 * v;
      } else {
        const au = u < 0 ? -u : u;
        if (au >= 1) {
          g = au - 0.99;
          gu = u < 0 ? -1 : 1;
          gv = 0;
        } else {
          // p0 bend, p1 above, p2 below, p3 taper.
          const power = Math.pow(au, p3 - 1);
          const width = 1 - power * au;
          const widthSlope = u < 0 ? p3 * power : -p3 * power;
          const centre = p0 * u * u;
          const centreSlope = 2 * p0 * u;
          const top = centre - p1 * width - v;
          const bottom = v - centre - p2 * width;
          if (top > bottom) {
            g = top;
            gu = centreSlope - p1 * widthSlope;
            gv = -1;
          } else {
            g = bottom;
            gu = -centreSlope - p2 * widthSlope;
            gv = 1;
          }
        }
      }
      // Chain rule: the pixel gradient is the inverse matrix transposed
      // times the local gradient.
      const gx = ia * gu + ic * gv;
      const gy = ib * gu + id * gv;
      const norm2 = gx * gx + gy * gy;
      // Only pixels within half a pixel of the edge need the exact
      // distance; the rest are fully in or out.
      if (g * g >= 0.25 * norm2) {
        out[x] = g > 0 ? 1 : -1;
      } else {
        out[x] = g / Math.sqrt(norm2);
      }
    }
  }

  bounds(): Box {
    const { cx, cy, a, b, c, d } = this.frame;
    const halfX = Math.abs(a) * this.extentU + Math.abs(b) * this.extentV;
    const halfY = Math.abs(c) * this.extentU + Math.abs(d) * this.extentV;
    return {
      x0: Math.floor(cx - halfX - 1),
      y0: Math.floor(cy - halfY - 1),
      x1: Math.ceil(cx + halfX + 1),
      y1: Math.ceil(cy + halfY + 1),
    };
  }
}

/** The unit disc of the frame: an ellipse on the image. */
export function ellipse(frame: Frame): Shape {
  return new LocalShape(frame, ELLIPSE, 1, 1);
}

/** |u|^4 + |v|^4 <= 1: a rounded rectangle (masks, patches). */
export function roundedBox(frame: Frame): Shape {
  return new LocalShape(frame, ROUNDED_BOX, 1, 1);
}

/** A ring of local half-thickness `thickness` around the unit circle. */
export function ring(frame: Frame, thickness: number): Shape {
  const extent = 1 + thickness;
  return new LocalShape(frame, RING, extent, extent, thickness);
}

/** The face outline: an ellipse narrowing by `taper` towards the chin. */
export function faceOval(frame: Frame, taper: number): Shape {
  return new LocalShape(frame, FACE_OVAL, 1 + Math.abs(taper), 1, taper);
}

/**
 * A curved stroke or lens for |u| <= 1: lips, lip lines, brows,
 * eyelids.
 */
export function band(frame: Frame, shape: BandShape): Shape {
  const { bend, above, below, taper } = shape;
  const extentV = Math.abs(bend) + Math.max(above, below);
  return new LocalShape(frame, BAND, 1, extentV, bend, above, below, taper);
}

/** Inside both shapes (distance is the larger of the two). */
export class Intersection implements Shape {
  private scratch = new Float32Array(0);

  constructor(
    private readonly first: Shape,
    private readonly second: Shape,
  ) {}

  distanceRow(y: number, x0: number, x1: number, out: Float32Array): void {
    if (this.scratch.length < out.length) {
      this.scratch = new Float32Array(out.length);
    }
    const other = this.scratch;
    this.first.distanceRow(y, x0, x1, out);
    this.second.distanceRow(y, x0, x1, other);
    for (let x = x0; x < x1; x++) {
      if (other[x] > out[x]) out[x] = other[x];
    }
  }

  bounds(): Box {
    const p = this.first.bounds();
    const q = this.second.bounds();
    return {
      x0: Math.max(p.x0, q.x0),
      y0: Math.max(p.y0, q.y0),
      x1: Math.min(p.x1, q.x1),
      y1: Math.min(p.y1, q.y1),
    };
  }
}
