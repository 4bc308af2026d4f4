/**
 * Places face geometry on the image: features sit on an ellipsoid head,
 * turned by yaw and pitch (orthographic projection), then rolled,
 * scaled and shifted in the image plane. A feature's local frame is the
 * projection's Jacobian at its centre, so eyes and lips foreshorten and
 * move with the head the way a 3D face would, without a 3D renderer.
 */
import { Frame } from './shapes';
import { IdentityTraits, ImageNuisances } from './traits';

/** Head depth over face half-width: faces are flatter than spheres. */
const DEPTH_RATIO = 0.85;
/**
 * The nominal framing, like an aligned 112x112 crop: the face a little
 * larger than the unit square holds, its centre a little below the
 * image's.
 */
const FACE_ZOOM = 1.12;
const FACE_DROP = 0.05;
/** Finite-difference step for the Jacobian, in face units. */
const STEP = 0.01;

export class Projector {
  /** Pixels per face unit. */
  readonly pixelsPerUnit: number;
  readonly width: number;
  readonly height: number;
  readonly depthRadius: number;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cosYaw: number;
  private readonly sinYaw: number;
  private readonly cosPitch: number;
  private readonly sinPitch: number;
  private readonly cosRoll: number;
  private readonly sinRoll: number;
  private px = 0;
  private py = 0;

  /**
   * @param size output side in pixels
   * @param zoom 1 / centerCrop: how much of the nominal view to show
   */
  constructor(
    traits: IdentityTraits,
    readonly nuisances: ImageNuisances,
    size: number,
    zoom: number,
  ) {
    const half = size / 2;
    this.pixelsPerUnit = half * zoom * FACE_ZOOM * nuisances.scale;
    this.cx = half * (1 + zoom * nuisances.shiftX);
    this.cy = half * (1 + zoom * (nuisances.shiftY + FACE_DROP));
    this.width = traits.faceWidth;
    this.height = traits.faceHeight;
    this.depthRadius = DEPTH_RATIO * traits.faceWidth;
    this.cosYaw = Math.cos(nuisances.yaw);
    this.sinYaw = Math.sin(nuisances.yaw);
    this.cosPitch = Math.cos(nuisances.pitch);
    this.sinPitch = Math.sin(nuisances.pitch);
    this.cosRoll = Math.cos(nuisances.roll);
    this.sinRoll = Math.sin(nuisances.roll);
  }

  /** Depth of the head's surface at (x, y), 0 at the silhouette. */
  surfaceDepth(x: number, y: number): number {
    const u = x / this.width;
    const v = y / this.height;
    return this.depthRadius * Math.sqrt(Math.max(0, 1 - u * u - v * v));
  }

  /** Projects a point `extra` in front of the surface; sets px, py. */
  private project(x: number, y: number, extra: number): void {
    const z = this.surfaceDepth(x, y) + extra;
    const x1 = x * this.cosYaw + z * this.sinYaw;
    const z1 = -x * this.sinYaw + z * this.cosYaw;
    const y2 = y * this.cosPitch - z1 * this.sinPitch;
    this.toPixels(x1, y2);
  }

  /** Image-plane roll, scale and shift; sets px, py. */
  private toPixels(x: number, y: number): void {
    const k = this.pixelsPerUnit;
    this.px = this.cx + k * (this.cosRoll * x - this.sinRoll * y);
    this.py = this.cy + k * (this.sinRoll * x + this.cosRoll * y);
  }

  /**
   * The frame of a feature centred at (x, y) on the face, with local
   * radii (radiusU, radiusV) turned by `angle` on the face, standing
   * `extra` in front of the surface.
   */
  surfaceFrame(
    x: number,
    y: number,
    radiusU: number,
    radiusV: number,
    angle = 0,
    extra = 0,
  ): Frame {
    this.project(x + STEP, y, extra);
    const xRight = this.px;
    const yRight = this.py;
    this.project(x - STEP, y, extra);
    const jxx = (xRight - this.px) / (2 * STEP);
    const jyx = (yRight - this.py) / (2 * STEP);
    this.project(x, y + STEP, extra);
    const xDown = this.px;
    const yDown = this.py;
    this.project(x, y - STEP, extra);
    const jxy = (xDown - this.px) / (2 * STEP);
    const jyy = (yDown - this.py) / (2 * STEP);
    this.project(x, y, extra);
    return composeFrame(
      this.px,
      this.py,
      [jxx, jxy, jyx, jyy],
      radiusU,
      radiusV,
      angle,
    );
  }

  /**
   * A frame in the image plane of the head (silhouette-level shapes:
   * the face outline, hair, neck), moved sideways by `turn` times the
   * yaw's shift of a point at the front of the face.
   */
  planeFrame(
    x: number,
    y: number,
    radiusU: number,
    radiusV: number,
    angle = 0,
    turn = 0,
  ): Frame {
    const shift = turn * this.depthRadius * this.sinYaw;
    const lift = -turn * this.depthRadius * this.sinPitch;
    this.toPixels(x + shift, y + lift);
    const k = this.pixelsPerUnit;
    return composeFrame(
      this.px,
      this.py,
      [k * this.cosRoll, -k * this.sinRoll, k * this.sinRoll, k * this.cosRoll],
      radiusU,
      radiusV,
      angle,
    );
  }

  /** Half-axes of the head's outline after yaw and pitch. */
  silhouette(): [number, number] {
    const d = this.depthRadius;
    return [
      Math.hypot(this.width * this.cosYaw, d * this.sinYaw),
      Math.hypot(this.height * this.cosPitch, d * this.sinPitch),
    ];
  }
}

/** Jacobian [jxx, jxy, jyx, jyy] times the local axes of a feature. */
function composeFrame(
  cx: number,
  cy: number,
  jacobian: [number, number, number, number],
  radiusU: number,
  radiusV: number,
  angle: number,
): Frame {
  const [jxx, jxy, jyx, jyy] = jacobian;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // Local u axis (cos, sin) * radiusU, v axis (-sin, cos) * radiusV.
  const ux = radiusU * cos;
  const uy = radiusU * sin;
  const vx = -radiusV * sin;
  const vy = radiusV * cos;
  return {
    cx,
    cy,
    a: jxx * ux + jxy * uy,
    c: jyx * ux + jyy * uy,
    b: jxx * vx + jxy * vy,
    d: jyx * vx + jyy * vy,
  };
}

/** The same frame moved by (du, dv) in its own local units. */
export function offsetFrame(frame: Frame, du: number, dv: number): Frame {
  return {
    ...frame,
    cx: frame.cx + frame.a * du + frame.b * dv,
    cy: frame.cy + frame.c * du + frame.d * dv,
  };
}
