/**
 * The pixel size of a JPEG or PNG read from its header alone, so a pack of
 * 12,000 images can be checked for 112x112 without decoding any of them.
 */

/** The encoded image kinds a verification pack may hold. */
export type EncodedKind = 'jpeg' | 'png';

/** 'jpeg' or 'png' from the leading magic bytes, else null. */
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
  return null;
}

/**
 * Width and height from a PNG IHDR chunk or a JPEG start-of-frame marker,
 * or null when the header is not where the format puts it.
 */
export function encodedSize(
  bytes: Uint8Array,
): { width: number; height: number } | null {
  const kind = encodedKind(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (kind === 'png') {
    // Signature (8), IHDR length and type (8), then width, height.
    if (bytes.length < 24) return null;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (kind !== 'jpeg') return null;

  // Walk the marker segments after SOI until a start-of-frame.
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    const length = view.getUint16(offset + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    const isFrame =
      marker >= 0xc0 &&
      marker <= 0xcf &&
      marker !== 0xc4 &&
      marker !== 0xc8 &&
      marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > bytes.length) return null;
      return {
        height: view.getUint16(offset + 5),
        width: view.getUint16(offset + 7),
      };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // EOI, SOS
    offset += 2 + length;
  }
  return null;
}
