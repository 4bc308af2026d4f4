/**
 * A contact sheet: a grid of images from any LabelledSource, one person
 * per row, for looking at a data set (docs, notebooks).
 */
import { DataError, DecodedImage, LabelledSource } from '../types';

export interface ContactSheetOptions {
  /** Rows (people). Default 6. */
  rows?: number;
  /** Images per row. Default 8. */
  columns?: number;
  /** Side of each tile in pixels. Default 64. */
  tileSize?: number;
  /** Gap between tiles in pixels (white). Default 2. */
  gap?: number;
}

/**
 * Tiles the first `columns` images of each of the first `rows` labels
 * that have images. Rows of people with fewer images stay partly blank.
 */
export async function contactSheet(
  source: LabelledSource,
  options: ContactSheetOptions = {},
): Promise<DecodedImage> {
  const { rows = 6, columns = 8, tileSize = 64, gap = 2 } = options;
  for (const [name, value] of Object.entries({ rows, columns, tileSize })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new DataError(
        `contactSheet: ${name} must be a positive integer, but got ${value}`,
      );
    }
  }

  // Up to `columns` image indices per label, in index order.
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < source.numImages; i++) {
    const list = byLabel.get(source.labels[i]) ?? [];
    if (list.length < columns) list.push(i);
    byLabel.set(source.labels[i], list);
  }
  const people = [...byLabel.keys()].sort((p, q) => p - q).slice(0, rows);

  const width = columns * tileSize + (columns + 1) * gap;
  const height = rows * tileSize + (rows + 1) * gap;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  for (let row = 0; row < people.length; row++) {
    const indices = byLabel.get(people[row]) ?? [];
    for (let column = 0; column < indices.length; column++) {
      const tile = await source.read(indices[column], { size: tileSize });
      const left = gap + column * (tileSize + gap);
      const top = gap + row * (tileSize + gap);
      for (let y = 0; y < tileSize; y++) {
        const from = y * tileSize * 3;
        const to = ((top + y) * width + left) * 3;
        pixels.set(tile.pixels.subarray(from, from + tileSize * 3), to);
      }
    }
  }
  return { pixels, width, height, channels: 3 };
}
