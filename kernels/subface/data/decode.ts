/**
 * Decoding of encoded image bytes (JPEG, PNG, GIF, WebP, TIFF through
 * sharp; PGM/PPM through a small netpbm reader, because sharp's prebuilt
 * libvips has no netpbm loader) to RGB at the model's input size.
 */
import sharp, { Sharp } from 'sharp';

import { encodedKind } from './encoded_image';
import { DataError, DecodedImage, ResizeOptions } from './types';

/** A raw image of 1 (gray) or 3 (RGB) channels, before resizing. */
interface RawImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * Reads binary (P5, P6) and plain (P2, P3) netpbm images. 16-bit samples
 * (maxval > 255) are scaled to 8 bits.
 */
export function decodeNetpbm(bytes: Uint8Array, where = 'netpbm'): RawImage {
  const kind = String.fromCharCode(bytes[1]);
  const channels: 1 | 3 = kind === '2' || kind === '5' ? 1 : 3;
  const plain = kind === '2' || kind === '3';

  // Header: magic, width, height, maxval, separated by whitespace, with
  // '#' comments running to the end of a line.
  let offset = 2;
  const fields: number[] = [];
  while (fields.length < 3) {
    while (offset < bytes.length) {
      const c = bytes[offset];
      if (c === 0x23) {
        while (offset < bytes.length && bytes[offset] !== 0x0a) offset++;
      } else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        offset++;
      } else {
        break;
      }
    }
    let value = '';
    while (
      offset < bytes.length &&
      bytes[offset] >= 0x30 &&
      bytes[offset] <= 0x39
    ) {
      value += String.fromCharCode(bytes[offset++]);
    }
    if (value === '') {
      throw new DataError(`${where}: netpbm header is malformed`);
    }
    fields.push(Number(value));
  }
  const [width, height, maxval] = fields;
  if (width < 1 || height < 1 || maxval < 1 || maxval > 65535) {
    throw new DataError(
      `${where}: netpbm size and maxval must be positive (maxval <= ` +
        `65535), but got ${width}x${height}, maxval ${maxval}`,
    );
  }
  // Exactly one whitespace byte separates the header from binary data.
  offset++;

  const count = width * height * channels;
  const pixels = new Uint8Array(count);
  const scale = 255 / maxval;
  if (plain) {
    const text = Buffer.from(bytes.subarray(offset)).toString('latin1');
    const values = text
      .replace(/#[^\n]*/g, ' ')
      .trim()
      .split(/\s+/);
    if (values.length < count) {
      throw new DataError(
        `${where}: netpbm data must hold ${count} samples, but got ` +
          values.length,
      );
    }
    for (let i = 0; i < count; i++) {
      pixels[i] = Math.round(Number(values[i]) * scale);
    }
  } else {
    const bytesPerSample = maxval > 255 ? 2 : 1;
    const needed = count * bytesPerSample;
    if (bytes.length - offset < needed) {
      throw new DataError(
        `${where}: netpbm data must be ${needed} bytes, but got ` +
          `${bytes.length - offset} (truncated file)`,
      );
    }
    for (let i = 0; i < count; i++) {
      const sample =
        bytesPerSample === 1
          ? bytes[offset + i]
          : (bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1];
      pixels[i] =
        bytesPerSample === 1 && maxval === 255
          ? sample
          : Math.round(sample * scale);
    }
  }
  return { pixels, width, height, channels };
}

/** Checks resize options; throws a DataError naming `where`. */
export function validateResize(resize: ResizeOptions, where: string): void {
  if (resize === null || typeof resize !== 'object') {
    throw new DataError(
      `${where}: resize must be an object such as { size: 112 }, but got ` +
        String(resize),
    );
  }
  const { size, fit = 'cover', centerCrop = 1 } = resize;
  if (!Number.isInteger(size) || size < 1) {
    throw new DataError(
      `${where}: resize.size must be a positive integer, but got ${size}`,
    );
  }
  if (!['cover', 'fill', 'contain'].includes(fit)) {
    throw new DataError(
      `${where}: resize.fit must be one of cover, fill, contain, but ` +
        `got '${fit}'`,
    );
  }
  if (!(centerCrop > 0 && centerCrop <= 1)) {
    throw new DataError(
      `${where}: resize.centerCrop must be in (0, 1], but got ${centerCrop}`,
    );
  }
}

/**
 * Decodes encoded image bytes to RGB at `resize.size` x `resize.size`.
 * Grayscale images are expanded to 3 equal channels; alpha is dropped.
 * `where` names the image in error messages (a path or record index).
 */
export async function decodeImage(
  bytes: Uint8Array,
  resize: ResizeOptions,
  where: string,
): Promise<DecodedImage> {
  validateResize(resize, where);
  const { size, fit = 'cover', centerCrop = 1 } = resize;

  let image: Sharp;
  try {
    if (encodedKind(bytes) === 'netpbm') {
      const raw = decodeNetpbm(bytes, where);
      image = sharp(raw.pixels, {
        raw: { width: raw.width, height: raw.height, channels: raw.channels },
      });
    } else {
      image = sharp(bytes, { failOn: 'error' });
    }
    const meta = await image.metadata();
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (centerCrop < 1) {
      const cropWidth = Math.max(1, Math.round(width * centerCrop));
      const cropHeight = Math.max(1, Math.round(height * centerCrop));
      image = image.extract({
        left: Math.floor((width - cropWidth) / 2),
        top: Math.floor((height - cropHeight) / 2),
        width: cropWidth,
        height: cropHeight,
      });
    }
    const { data, info } = await image
      .resize(size, size, { fit, background: { r: 0, g: 0, b: 0 } })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return toRgb(data, info.width, info.height, info.channels, where);
  } catch (error) {
    throw asDecodeError(error, where);
  }
}

/** A decoder failure as a DataError naming the image. */
function asDecodeError(error: unknown, where: string): DataError {
  if (error instanceof DataError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DataError(
    `${where}: image must be a readable JPEG, PNG, GIF, WebP, TIFF or ` +
      `netpbm file, but decoding failed: ${message}`,
  );
}

function toRgb(
  data: Buffer,
  width: number,
  height: number,
  channels: number,
  where: string,
): DecodedImage {
  const pixels = new Uint8Array(width * height * 3);
  if (channels === 3) {
    pixels.set(data);
  } else if (channels === 1) {
    for (let i = 0, j = 0; i < data.length; i++, j += 3) {
      pixels[j] = pixels[j + 1] = pixels[j + 2] = data[i];
    }
  } else {
    throw new DataError(
      `${where}: decoded image must have 1 or 3 channels, but got ${channels}`,
    );
  }
  return { pixels, width, height, channels: 3 };
}

/**
 * Decodes encoded image bytes to RGB at the image's own size, without
 * resizing or cropping. Face alignment needs this: landmarks are given in
 * the original pixel grid. Grayscale is expanded and alpha dropped, as in
 * `decodeImage`.
 */
export async function decodeImageNative(
  bytes: Uint8Array,
  where: string,
): Promise<DecodedImage> {
  try {
    if (encodedKind(bytes) === 'netpbm') {
      const raw = decodeNetpbm(bytes, where);
      return toRgb(
        Buffer.from(raw.pixels),
        raw.width,
        raw.height,
        raw.channels,
        where,
      );
    }
    const { data, info } = await sharp(bytes, { failOn: 'error' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return toRgb(data, info.width, info.height, info.channels, where);
  } catch (error) {
    throw asDecodeError(error, where);
  }
}
