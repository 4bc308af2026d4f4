/**
 * Options of `writeVerificationPack`: the size packed images are brought
 * to and how, and the JPEG quality of re-encoded ones.
 */
import { DataError, ResizeOptions } from '../types';

export interface WritePackOptions {
  /**
   * Side of the packed images. Default 112. null keeps every JPEG as it is
   * and re-encodes other formats at their own (square) size.
   */
  size?: number | null;
  /** How images are brought to `size` (see ResizeOptions). Default 'cover'. */
  fit?: ResizeOptions['fit'];
  /** Centre crop before resizing, fraction of each side. Default 1. */
  centerCrop?: number;
  /** JPEG quality of re-encoded images, 1-100. Default 95 (as cv2). */
  quality?: number;
  /** Images encoded at once (sharp runs them on its threads). Default 8. */
  concurrency?: number;
}

/** WritePackOptions with every default filled in. */
export interface ResolvedWritePackOptions {
  size: number | null;
  fit: NonNullable<ResizeOptions['fit']>;
  centerCrop: number;
  quality: number;
  concurrency: number;
}

const defaults: ResolvedWritePackOptions = {
  size: 112,
  fit: 'cover',
  centerCrop: 1,
  quality: 95,
  concurrency: 8,
};

export const DEFAULT_WRITE_PACK_OPTIONS: Readonly<ResolvedWritePackOptions> =
  Object.freeze(defaults);

const FITS = ['cover', 'fill', 'contain'];

/** A new options object with defaults filled in, validated. */
export function resolveWritePackOptions(
  options: WritePackOptions = {},
): ResolvedWritePackOptions {
  const resolved: ResolvedWritePackOptions = {
    size: options.size === undefined ? defaults.size : options.size,
    fit: options.fit ?? defaults.fit,
    centerCrop: options.centerCrop ?? defaults.centerCrop,
    quality: options.quality ?? defaults.quality,
    concurrency: options.concurrency ?? defaults.concurrency,
  };
  const { size, quality, concurrency } = resolved;
  const where = 'writeVerificationPack';
  if (size !== null && (!Number.isInteger(size) || size < 1)) {
    throw new DataError(
      `${where}: size must be a positive integer or null, but got ${size}`,
    );
  }
  if (!FITS.includes(resolved.fit)) {
    throw new DataError(
      `${where}: fit must be one of ${FITS.join(', ')}, but got ` +
        `'${resolved.fit}'`,
    );
  }
  if (!(resolved.centerCrop > 0 && resolved.centerCrop <= 1)) {
    throw new DataError(
      `${where}: centerCrop must be in (0, 1], but got ${resolved.centerCrop}`,
    );
  }
  if (size === null && resolved.centerCrop !== 1) {
    throw new DataError(
      `${where}: centerCrop must be 1 when size is null (JPEGs are copied ` +
        `unchanged), but got ${resolved.centerCrop}`,
    );
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new DataError(
      `${where}: quality must be an integer in [1, 100], but got ${quality}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new DataError(
      `${where}: concurrency must be a positive integer, but got ` +
        concurrency,
    );
  }
  return resolved;
}
