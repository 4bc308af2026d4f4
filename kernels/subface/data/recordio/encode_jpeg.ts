/**
 * The image bytes a pack stores: JPEG as given, or re-encoded to JPEG with
 * sharp when a size is asked for or the input is not JPEG (ORL's PGM).
 */
import sharp, { Sharp } from 'sharp';

import { decodeImage, decodeNetpbm } from '../decode';
import { encodedKind, jpegSize } from '../encoded_image';
import { DataError } from '../types';

export interface PackedImage {
  jpeg: Uint8Array;
  height: number;
  width: number;
  /** Whether the bytes were re-encoded rather than stored as given. */
  reencoded: boolean;
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
    if (encodedKind(bytes) === 'jpeg') {
      // Reading the frame header here is far cheaper than asking sharp.
      const { width = 0, height = 0 } =
        jpegSize(bytes) ?? (await sharp(bytes).metadata());
      return { jpeg: bytes, height, width, reencoded: false };
    }
    const source =
      encodedKind(bytes) === 'netpbm'
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
