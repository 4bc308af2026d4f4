/**
 * A float RGB canvas and the whole-image passes of the synthetic face
 * renderer: shape filling with coverage, lighting, blur, noise and the
 * final rounding to bytes. Everything works in place on one Float32Array
 * (HWC, values in 0..255) so an image costs no allocations but its output.
 */
import { Box, Frame, Shape } from './shapes';

export type Rgb = readonly [number, number, number];

/** A directional light and the camera's response. */
export interface Lighting {
  /** Unit vector towards the light; x right, y down, z to the camera. */
  x: number;
  y: number;
  z: number;
  ambient: number;
  diffuse: number;
  /** Light kept at the head's outline by a fixed 3D falloff (0..1). */
  form: number;
  /** Overall gain. */
  exposure: number;
  /** Per-channel gain: the light's colour. */
  tint: Rgb;
}

/** The background, being flat, takes this share of the diffuse light. */
const FLAT_DIFFUSE = 0.7;
/** Blurs below this variance (sigma ~0.1 px) are skipped. */
const MIN_BLUR_VARIANCE = 0.01;

export class Canvas {
  readonly pixels: Float32Array;
  /** Distances of one row, reused by every fill. */
  private readonly row: Float32Array;

  constructor(readonly size: number) {
    this.pixels = new Float32Array(size * size * 3);
    this.row = new Float32Array(size);
  }

  /** A vertical gradient from `top` to `bottom` over the whole image. */
  fillGradient(top: Rgb, bottom: Rgb): void {
    const { size, pixels } = this;
    for (let y = 0; y < size; y++) {
      const t = (y + 0.5) / size;
      const r = top[0] + t * (bottom[0] - top[0]);
      const g = top[1] + t * (bottom[1] - top[1]);
      const b = top[2] + t * (bottom[2] - top[2]);
      for (let x = 0, i = y * size * 3; x < size; x++, i += 3) {
        pixels[i] = r;
        pixels[i + 1] = g;
        pixels[i + 2] = b;
      }
    }
  }

  private clip(box: Box): Box {
    const { size } = this;
    return {
      x0: Math.max(0, box.x0),
      y0: Math.max(0, box.y0),
      x1: Math.min(size, box.x1),
      y1: Math.min(size, box.y1),
    };
  }

  /** Paints `shape` over the image with opacity `alpha`. */
  fill(shape: Shape, color: Rgb, alpha = 1): void {
    const { x0, y0, x1, y1 } = this.clip(shape.bounds());
    const { size, pixels, row } = this;
    const [r, g, b] = color;
    for (let y = y0; y < y1; y++) {
      shape.distanceRow(y, x0, x1, row);
      for (let x = x0; x < x1; x++) {
        const coverage = 0.5 - row[x];
        if (coverage <= 0) continue;
        const weight = coverage >= 1 ? alpha : coverage * alpha;
        const i = (y * size + x) * 3;
        pixels[i] += weight * (r - pixels[i]);
        pixels[i + 1] += weight * (g - pixels[i + 1]);
        pixels[i + 2] += weight * (b - pixels[i + 2]);
      }
    }
  }

  /**
   * Lights the image: inside the ellipse `head` (the head's outline) by
   * a directional light on the ellipsoid whose normals the outline
   * implies, elsewhere by a flat light. See `Lighting`.
   */
  applyLighting(head: Frame, light: Lighting): void {
    const { size, pixels } = this;
    const { x: lx, y: ly, z: lz, ambient, diffuse, form } = light;
    const [tr, tg, tb] = light.tint;
    const det = head.a * head.d - head.b * head.c || 1e-9;
    const ia = head.d / det;
    const ib = -head.b / det;
    const ic = -head.c / det;
    const id = head.a / det;
    const flat = ambient + diffuse * Math.max(0, lz) * FLAT_DIFFUSE;
    for (let y = 0; y < size; y++) {
      const dy = y + 0.5 - head.cy;
      const dx0 = 0.5 - head.cx;
      let u = ia * dx0 + ib * dy;
      let v = ic * dx0 + id * dy;
      for (let x = 0, i = y * size * 3; x < size; x++, i += 3) {
        const r2 = u * u + v * v;
        let intensity = flat;
        if (r2 < 1) {
          const nz = Math.sqrt(1 - r2);
          const facing = u * lx + v * ly + nz * lz;
          // A fixed falloff towards the outline keeps the head round
          // even under flat light.
          intensity =
            (form + (1 - form) * nz) *
            (ambient + (facing > 0 ? diffuse * facing : 0));
        }
        intensity *= light.exposure;
        pixels[i] *= intensity * tr;
        pixels[i + 1] *= intensity * tg;
        pixels[i + 2] *= intensity * tb;
        u += ia;
        v += ic;
      }
    }
  }

  /**
   * A Gaussian-like blur of standard deviation `sigma` pixels: repeated
   * separable [w, 1 - 2w, w] passes, whose variances add up (2w each), so
   * any sigma is reached exactly with passes of w <= 1/3.
   */
  blur(sigma: number): void {
    const variance = sigma * sigma;
    if (variance < MIN_BLUR_VARIANCE) return;
    const passes = Math.ceil(variance / (2 / 3));
    const w = variance / (2 * passes);
    for (let p = 0; p < passes; p++) {
      this.blurPass(w, 3, this.size * 3);
      this.blurPass(w, this.size * 3, 3);
    }
  }

  /** One pass along lines whose samples are `step` apart. */
  private blurPass(w: number, step: number, lineStep: number): void {
    const { size, pixels } = this;
    const centre = 1 - 2 * w;
    const last = (size - 1) * step;
    for (let line = 0; line < size; line++) {
      for (let c = 0; c < 3; c++) {
        const start = line * lineStep + c;
        // Edges repeat the border sample; `previous` holds the old
        // value of the sample before, already overwritten in place.
        let previous = pixels[start];
        let current = previous;
        for (let k = start; k < start + last; k += step) {
          const next = pixels[k + step];
          pixels[k] = centre * current + w * (previous + next);
          previous = current;
          current = next;
        }
        pixels[start + last] = centre * current + w * (previous + current);
      }
    }
  }

  /**
   * Adds zero-mean noise of standard deviation `std` to every sample and
   * rounds to bytes. The per-sample draws come from a xorshift32 stream
   * seeded by `seed`: a call into SeededRandom per sample would cost more
   * than all the drawing. Each draw sums the four bytes of one 32-bit
   * word (Irwin-Hall, close to Gaussian).
   */
  toBytes(std: number, seed: number): Uint8Array {
    const { pixels } = this;
    const out = new Uint8Array(pixels.length);
    // Standard deviation of the sum of four uniform bytes.
    const scale = std / Math.sqrt((4 * (256 * 256 - 1)) / 12);
    let state = seed >>> 0 || 0x9e3779b9;
    for (let i = 0; i < pixels.length; i++) {
      let value = pixels[i];
      if (scale > 0) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const sum =
          (state & 255) +
          ((state >>> 8) & 255) +
          ((state >>> 16) & 255) +
          ((state >>> 24) & 255);
        value += (sum - 510) * scale;
      }
      // Uint8Array stores wrap modulo 256 and truncate: clamp, then
      // + 0.5 rounds.
      out[i] = value <= 0 ? 0 : value >= 255 ? 255 : value + 0.5;
    }
    return out;
  }
}
