/**
 * Warping a face image so that its 5 landmarks land on the ArcFace
 * template, with bilinear sampling (the `norm_crop` step of InsightFace).
 */
import { DataError, DecodedImage } from '../types';
import {
  estimateSimilarity,
  invertSimilarity,
  Point,
  SimilarityTransform,
} from './similarity';
import { arcfaceTemplate } from './template';

/** The number of landmarks the ArcFace template has. */
export const NUM_LANDMARKS = 5;

/** Output crop size: a side for a square, or width and height. */
export type AlignSize = number | { width: number; height: number };

function checkImage(image: DecodedImage, where: string): void {
  const { width, height, pixels, channels } = image;
  const ok =
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width > 0 &&
    height > 0 &&
    channels === 3 &&
    pixels instanceof Uint8Array &&
    pixels.length === width * height * 3;
  if (!ok) {
    throw new DataError(
      `${where}: image must be RGB HWC uint8 with width * height * 3 ` +
        `pixels, but got ${width}x${height}x${channels} holding ` +
        `${pixels?.length} values`,
    );
  }
}

/** The offset of pixel (x, y) in an RGB image, or -1 outside it. */
function pixelIndex(x: number, y: number, width: number, height: number) {
  return x < 0 || y < 0 || x >= width || y >= height ? -1 : (y * width + x) * 3;
}

/**
 * Samples `image` through the inverse of `toCrop` onto a `width` x `height`
 * grid. Pixel centres sit at integer coordinates (OpenCV's convention, so
 * a crop matches `cv2.warpAffine` on the same matrix up to rounding);
 * samples outside the image blend with black, like BORDER_CONSTANT 0.
 */
export function warpSimilarity(
  image: DecodedImage,
  toCrop: SimilarityTransform,
  width: number,
  height: number,
): DecodedImage {
  checkImage(image, 'warpSimilarity');
  resolveSize({ width, height });
  const { a, b, tx, ty } = invertSimilarity(toCrop);
  const src = image.pixels;
  const srcWidth = image.width;
  const srcHeight = image.height;
  const out = new Uint8Array(width * height * 3);

  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const x = a * u - b * v + tx;
      const y = b * u + a * v + ty;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      // Completely outside: the four neighbours are all border (black).
      if (x0 < -1 || y0 < -1 || x0 >= srcWidth || y0 >= srcHeight) continue;

      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const i00 = pixelIndex(x0, y0, srcWidth, srcHeight);
      const i10 = pixelIndex(x0 + 1, y0, srcWidth, srcHeight);
      const i01 = pixelIndex(x0, y0 + 1, srcWidth, srcHeight);
      const i11 = pixelIndex(x0 + 1, y0 + 1, srcWidth, srcHeight);
      const target = (v * width + u) * 3;
      for (let c = 0; c < 3; c++) {
        const sum =
          (i00 < 0 ? 0 : w00 * src[i00 + c]) +
          (i10 < 0 ? 0 : w10 * src[i10 + c]) +
          (i01 < 0 ? 0 : w01 * src[i01 + c]) +
          (i11 < 0 ? 0 : w11 * src[i11 + c]);
        out[target + c] = Math.min(255, Math.round(sum));
      }
    }
  }
  return { pixels: out, width, height, channels: 3 };
}

function resolveSize(size: AlignSize): { width: number; height: number } {
  const { width, height } =
    typeof size === 'number' ? { width: size, height: size } : size;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1
  ) {
    throw new DataError(
      'alignFace: size must be a positive integer or { width, height } of ' +
        `positive integers, but got ${JSON.stringify(size)}`,
    );
  }
  return { width, height };
}

/**
 * Aligns a face to the ArcFace template: fits the similarity transform
 * from `landmarks` to the template scaled to `size` (see
 * `arcfaceTemplate`) and warps with bilinear sampling.
 *
 * @param image RGB HWC uint8 at its original resolution.
 * @param landmarks [5, 2] in `image` pixels (centres at integers): left
 *   eye, right eye, nose tip, left and right mouth corner.
 * @param size 112 (default), another side, or { width, height } such as
 *   { width: 96, height: 112 }.
 * @returns the crop, `size` x `size` (or height x width) x 3.
 */
export function alignFace(
  image: DecodedImage,
  landmarks: readonly Point[],
  size: AlignSize = 112,
): DecodedImage {
  checkImage(image, 'alignFace');
  if (!Array.isArray(landmarks) || landmarks.length !== NUM_LANDMARKS) {
    throw new DataError(
      `alignFace: landmarks must be ${NUM_LANDMARKS} [x, y] points, but ` +
        `got ${Array.isArray(landmarks) ? landmarks.length : typeof landmarks}`,
    );
  }
  const { width, height } = resolveSize(size);
  const toCrop = estimateSimilarity(landmarks, arcfaceTemplate(width, height));
  return warpSimilarity(image, toCrop, width, height);
}
