/**
 * What an encoded image is and how big, read from its first bytes alone,
 * so packs of many thousand images can be checked and written without
 * decoding any of them.
 */

/** The encoded formats recognised by their magic bytes. */
export type EncodedKind = 'jpeg' | 'png' | 'netpbm';

/** The format from the leading magic bytes, else null. */
export function encodedKind(bytes: Uint8Array): EncodedKind | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    return 'jpeg';
  }
  if (
    bytes.length >= 4 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47
  ) {
    return 'png';
  }
  // 'P' then '2', '3' (plain gray, RGB) or '5', '6' (binary gray, RGB).
  if (
    bytes.length > 2 &&
    bytes[0] === 0x50 &&
    [0x32, 0x33, 0x35, 0x36].includes(bytes[1])
  ) {
    return 'netpbm';
  }
  return null;
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
    if (marker === 0xd9 || marker === 0xda) return null; // EOI, SOS
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const isFrame =
      marker >= 0xc0 &&
      marker <= 0xcf &&
      marker !== 0xc4 &&
      marker !== 0xc8 &&
      marker !== 0xcc;
    if (isFrame) {
      if (pos + 9 > bytes.length) return null;
      const height = (bytes[pos + 5] << 8) | bytes[pos + 6];
      const width = (bytes[pos + 7] << 8) | bytes[pos + 8];
      return width > 0 && height > 0 ? { width, height } : null;
    }
    pos += 2 + length;
  }
  return null;
}

/**
 * Width and height of a JPEG (start-of-frame) or PNG (IHDR chunk), or
 * null when the header is not where the format puts it.
 */
export function encodedSize(
  bytes: Uint8Array,
): { width: number; height: number } | null {
  const kind = encodedKind(bytes);
  if (kind === 'jpeg') return jpegSize(bytes);
  if (kind !== 'png' || bytes.length < 24) return null;
  // Signature (8), IHDR length and type (8), then width, height.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
