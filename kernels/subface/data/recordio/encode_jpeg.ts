/**
 * The image bytes a pack stores: JPEG as given, or re-encoded to JPEG with
 * sharp when a size is asked for or the input is not JPEG (ORL's PGM).
 */
import sharp, { Sharp } from 'sharp';

import { decodeImage, decodeNetpbm } from '../decode';
import { DataError } from '../types';

export interface PackedImage {
  jpeg: Uint8Array;
  height: number;
  width: number;
  /** Whether the bytes were re-encoded rather than stored as given. */
  reencoded: boolean;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

/**
 * Width and height from a JPEG's start-of-frame segment (SOF0..SOF15
 * except DHT, JPG and DAC), or null when no frame header comes before the
 * scan data.
 */
export function jpegSize(
  bytes: Uint8Array,
): { width: number; height: number } | null {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    // Markers without a length field: TEM, RST0..7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const isFrame =
      marker >= 0xc0 &&
      marker <= 0xcf &&
      marker !== 0xc4 &&
      marker !== 0xc8 &&
      marker !== 0xcc;
    if (isFrame && pos + 9 <= bytes.length) {
      const height = (bytes[pos + 5] << 8) | bytes[pos + 6];
      const width = (bytes[pos + 7] << 8) | bytes[pos + 8];
      return width > 0 && height > 0 ? { width, height } : null;
    }
    pos += 2 + length;
  }
  return null;
}

function isNetpbm(bytes: Uint8Array): boolean {
  // 'P' then '2', '3', '5' or '6'.
  return (
    bytes.length > 2 &&
    bytes[0] === 0x50 &&
    [0x32, 0x33, 0x35, 0x36].includes(bytes[1])
  );
}

/**
 * Brings one image to the bytes stored in a record. `imageSize` re-encodes
 * every image at size x size ('cover' fit); `quality` is the JPEG quality
 * of re-encoded images; `where` names the image in errors.
 */
export async function toPackedJpeg(
  bytes: Uint8Array,
  imageSize: number | undefined,
  quality: number,
  where: string,
): Promise<PackedImage> {
  try {
    if (imageSize !== undefined) {
      const image = await decodeImage(bytes, { size: imageSize }, where);
      const jpeg = await sharp(image.pixels, {
        raw: { width: image.width, height: image.height, channels: 3 },
      })
        .jpeg({ quality })
        .toBuffer();
      return { jpeg, height: imageSize, width: imageSize, reencoded: true };
    }
    if (isJpeg(bytes)) {
      // Reading the frame header here is far cheaper than asking sharp.
      const { width = 0, height = 0 } =
        jpegSize(bytes) ?? (await sharp(bytes).metadata());
      return { jpeg: bytes, height, width, reencoded: false };
    }
    const source = isNetpbm(bytes)
      ? rawSharp(decodeNetpbm(bytes, where))
      : sharp(bytes, { failOn: 'error' }).removeAlpha();
    const { data, info } = await source
      .jpeg({ quality })
      .toBuffer({ resolveWithObject: true });
    return {
      jpeg: data,
      height: info.height,
      width: info.width,
      reencoded: true,
    };
  } catch (error) {
    if (error instanceof DataError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(
      `${where}: image must be a readable JPEG, PNG, GIF, WebP, TIFF or ` +
        `netpbm file, but encoding it failed: ${message}`,
    );
  }
}

function rawSharp(raw: ReturnType<typeof decodeNetpbm>): Sharp {
  const { width, height, channels } = raw;
  return sharp(raw.pixels, { raw: { width, height, channels } });
}
