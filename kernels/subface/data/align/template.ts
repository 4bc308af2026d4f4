/**
 * The ArcFace 5-point landmark template (InsightFace `face_align.py`) and
 * its versions for other crop sizes.
 */
import { DataError } from '../types';
import { Point } from './similarity';

/**
 * Where InsightFace puts the left eye, right eye, nose tip, left and right
 * mouth corners in a 112x112 crop (`arcface_dst` in
 * insightface/utils/face_align.py). "Left" is the image's left. Pixel
 * centres are at integer coordinates, as in OpenCV.
 */
export const ARCFACE_TEMPLATE_112: readonly Point[] = Object.freeze([
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
] as const);

/** The side of the square crop the template was made for. */
export const ARCFACE_TEMPLATE_SIZE = 112;

/**
 * The template for a `width` x `height` crop: scaled by height / 112 and
 * centred horizontally. For a square crop this is a plain scaling; for the
 * 112x96 (height x width) crops of SphereFace/CosFace it shifts x by -8,
 * the same template those models used. Points are scaled about the pixel
 * origin, so for sizes far from 112 the crop can differ from resizing a
 * 112 crop by up to half a pixel.
 *
 * Porting note: InsightFace's `estimate_norm` agrees for square sizes that
 * are multiples of 112; for other sizes it switches to a rule based on a
 * 128 crop, which we do not reproduce.
 */
export function arcfaceTemplate(
  width: number,
  height: number = width,
): Point[] {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new DataError(
        `arcfaceTemplate: ${name} must be a positive integer, but got ` + value,
      );
    }
  }
  const scale = height / ARCFACE_TEMPLATE_SIZE;
  const shiftX = (width - ARCFACE_TEMPLATE_SIZE * scale) / 2;
  return ARCFACE_TEMPLATE_112.map(([x, y]) => [x * scale + shiftX, y * scale]);
}
