/**
 * Writes an InsightFace pack (`.rec`, `.idx`, `property`) with the layout
 * of InsightFace's builders: record 0 = header [first identity record, end
 * of identity records], images 1..N grouped by label in increasing order,
 * then one identity record per class with label [start, end).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { DataError } from '../types';
import { toPackedJpeg } from './encode_jpeg';
import { FLOAT32_EXACT_LIMIT } from './insightface_layout';
import { packPaths } from './insightface_source';
import { packHeader } from './ir_header';
import { formatProperty } from './property';
import { RecordIOWriter } from './writer';

/** One image to pack: its bytes or a file path, and its class. */
export interface RecImageItem {
  label: number;
  bytes?: Uint8Array;
  path?: string;
}

export interface InsightFaceWriteConfig {
  /**
   * Re-encode every image as a size x size JPEG ('cover' fit). Default:
   * undefined, JPEG bytes are stored as given and other formats are
   * re-encoded at their own size.
   */
  imageSize?: number;
  /** JPEG quality of re-encoded images, 1..100. Default 95. */
  jpegQuality?: number;
  /** Default: the largest label + 1. */
  numClasses?: number;
  /** Written one per line to `<prefix>.names` when given. Default none. */
  classNames?: readonly string[];
  /** Images prepared at the same time. Default 4. */
  concurrency?: number;
}

export const DEFAULT_INSIGHTFACE_WRITE_CONFIG = {
  jpegQuality: 95,
  concurrency: 4,
};

export interface InsightFaceWriteResult {
  recPath: string;
  idxPath: string;
  propertyPath: string;
  namesPath: string | null;
  numImages: number;
  numClasses: number;
  height: number;
  width: number;
  /** How many images were re-encoded rather than stored as given. */
  numReencoded: number;
}

function resolveConfig(
  items: readonly RecImageItem[],
  config: InsightFaceWriteConfig,
) {
  const where = 'writeInsightFaceRec';
  const resolved = { ...DEFAULT_INSIGHTFACE_WRITE_CONFIG, ...config };
  const { imageSize, jpegQuality, concurrency } = resolved;
  const checks: [boolean, string, unknown][] = [
    [items.length > 0, 'items must hold at least one image', items.length],
    [
      imageSize === undefined || (Number.isInteger(imageSize) && imageSize > 0),
      'imageSize must be a positive integer',
      imageSize,
    ],
    [
      Number.isInteger(jpegQuality) && jpegQuality >= 1 && jpegQuality <= 100,
      'jpegQuality must be an integer in [1, 100]',
      jpegQuality,
    ],
    [
      Number.isInteger(concurrency) && concurrency >= 1,
      'concurrency must be a positive integer',
      concurrency,
    ],
  ];
  for (const [ok, what, got] of checks) {
    if (!ok) throw new DataError(`${where}: ${what}, but got ${got}`);
  }

  items.forEach((item, i) => {
    const label = item.label;
    if (!Number.isInteger(label) || label < 0) {
      throw new DataError(
        `${where}: items[${i}].label must be a non-negative integer, but ` +
          `got ${label}`,
      );
    }
    if ((item.bytes === undefined) === (item.path === undefined)) {
      throw new DataError(
        `${where}: items[${i}] must have exactly one of bytes and path, ` +
          `but got ${item.bytes === undefined ? 'neither' : 'both'}`,
      );
    }
  });
  const maxLabel = items.reduce((max, item) => Math.max(max, item.label), 0);
  const numClasses = config.numClasses ?? maxLabel + 1;
  if (!Number.isInteger(numClasses) || numClasses <= maxLabel) {
    throw new DataError(
      `${where}: numClasses must be an integer > the largest label ` +
        `${maxLabel}, but got ${numClasses}`,
    );
  }
  // Header indices are float32: every record index must be exact.
  const numRecords = 1 + items.length + numClasses;
  if (numRecords > FLOAT32_EXACT_LIMIT) {
    throw new DataError(
      `${where}: images + classes + 1 must be at most 2^24 = ` +
        `${FLOAT32_EXACT_LIMIT} (float32 header indices), but got ` +
        numRecords,
    );
  }
  const badName = config.classNames?.findIndex((name) => /[\r\n]/.test(name));
  if (badName !== undefined && badName >= 0) {
    throw new DataError(
      `${where}: classNames[${badName}] must be one line, but got ` +
        JSON.stringify(config.classNames![badName]),
    );
  }
  if (config.classNames && config.classNames.length !== numClasses) {
    throw new DataError(
      `${where}: classNames must have numClasses = ${numClasses} ` +
        `entries, but got ${config.classNames.length}`,
    );
  }
  return { ...resolved, numClasses };
}

async function readImageFile(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataError(
      `${file}: image file must be readable, but got ${code}`,
    );
  }
}

/**
 * Writes `<prefix>.rec`, `<prefix>.idx`, `property` in the prefix's folder
 * (created when missing) and, with classNames, `<prefix>.names`.
 * Everything goes to temporary files first, renamed at the end, so a
 * failure leaves no partial pack behind.
 */
export async function writeInsightFaceRec(
  items: readonly RecImageItem[],
  prefix: string,
  config: InsightFaceWriteConfig = {},
): Promise<InsightFaceWriteResult> {
  const resolved = resolveConfig(items, config);
  const { numClasses, imageSize, jpegQuality, concurrency } = resolved;
  const order = Array.from(items.keys()).sort(
    (a, b) => items[a].label - items[b].label || a - b,
  );
  const paths = packPaths(prefix);
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = (file: string) => file + suffix;
  const finals = [paths.rec, paths.idx, paths.property];
  if (config.classNames) finals.push(paths.names);

  await fs.mkdir(path.dirname(paths.rec), { recursive: true });
  const writer = await RecordIOWriter.create(temp(paths.rec), temp(paths.idx));
  try {
    const numImages = items.length;
    const firstIdentity = numImages + 1;
    const endIdentity = firstIdentity + numClasses;
    await writer.write(
      0,
      packHeader({ label: [firstIdentity, endIdentity], id: 0 }),
    );

    // Images in label order; prepare a few at a time, write in order.
    let size: { height: number; width: number } | null = null;
    let numReencoded = 0;
    const starts = new Float64Array(numClasses + 1).fill(-1);
    for (let start = 0; start < numImages; start += concurrency) {
      const batch = order.slice(start, start + concurrency);
      const packed = await Promise.all(
        batch.map(async (i) => {
          const item = items[i];
          const where = item.path ?? `items[${i}]`;
          const bytes = item.bytes ?? (await readImageFile(item.path!));
          return toPackedJpeg(bytes, imageSize, jpegQuality, where);
        }),
      );
      for (let b = 0; b < batch.length; b++) {
        const key = start + b + 1;
        const { label } = items[batch[b]];
        const image = packed[b];
        size ??= image;
        if (image.height !== size.height || image.width !== size.width) {
          throw new DataError(
            `${items[batch[b]].path ?? `items[${batch[b]}]`}: every image ` +
              `must be ${size.width}x${size.height} like the first (or ` +
              `pass imageSize), but got ${image.width}x${image.height}`,
          );
        }
        if (starts[label] < 0) starts[label] = key;
        numReencoded += image.reencoded ? 1 : 0;
        await writer.write(key, packHeader({ label, id: key }, image.jpeg));
      }
    }

    // Identity records: class j holds images [start, end); a class with
    // no image gets an empty range at the next image.
    starts[numClasses] = firstIdentity;
    for (let j = numClasses - 1; j >= 0; j--) {
      if (starts[j] < 0) starts[j] = starts[j + 1];
    }
    for (let j = 0; j < numClasses; j++) {
      const key = firstIdentity + j;
      const label = [starts[j], starts[j + 1]];
      await writer.write(key, packHeader({ label, id: key }));
    }
    await writer.close();

    const { height, width } = size!;
    await fs.writeFile(
      temp(paths.property),
      formatProperty({ numClasses, height, width }),
    );
    if (config.classNames) {
      await fs.writeFile(
        temp(paths.names),
        config.classNames.join('\n') + '\n',
      );
    }
    for (const file of finals) await fs.rename(temp(file), file);
    if (!config.classNames) {
      // A names file left from an earlier pack would describe another one.
      await fs.rm(paths.names, { force: true });
    }
    return {
      recPath: paths.rec,
      idxPath: paths.idx,
      propertyPath: paths.property,
      namesPath: config.classNames ? paths.names : null,
      numImages,
      numClasses,
      height,
      width,
      numReencoded,
    };
  } catch (error) {
    try {
      await writer.close();
    } finally {
      await Promise.all(
        finals.map((file) => fs.rm(temp(file), { force: true })),
      );
    }
    throw error;
  }
}
