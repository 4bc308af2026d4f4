/**
 * An InsightFace training pack (`train.rec`, `train.idx`, `property`) as a
 * LabelledSource: labels are read from every image record when the pack is
 * opened, checked against num_classes and the identity records, and images
 * are decoded on demand.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { decodeImage } from '../decode';
import {
  DataError,
  DecodedImage,
  LabelledSource,
  ResizeOptions,
} from '../types';
import { checkIdentityRanges, readLayout } from './insightface_layout';
import { IRHeaderOnly, RecordIOReader } from './reader';
import { readProperty, RecProperty } from './property';

/** The files of a pack, when they do not follow `<prefix>.rec` naming. */
export interface InsightFaceRecPaths {
  rec: string;
  idx: string;
  /**
   * The `property` file. Default: `property` next to the `.rec` when it
   * exists. A path given here must exist.
   */
  property?: string;
  /**
   * Class names, one per line in label order (our sidecar; InsightFace
   * packs have none). Default: `<rec without .rec>.names` when it exists.
   */
  names?: string;
}

export interface InsightFaceRecSource extends LabelledSource {
  readonly recPath: string;
  readonly idxPath: string;
  /** Whether record 0 is a dataset header (else every key is an image). */
  readonly hasHeader: boolean;
  /** imageKeys[i] is the record key of image i. */
  readonly imageKeys: Float64Array;
  /** The `property` file's content, or null when there is none. */
  readonly property: RecProperty | null;
  read(index: number, resize: ResizeOptions): Promise<DecodedImage>;
  close(): Promise<void>;
}

/** `<prefix>.rec` and friends; a trailing `.rec` or `.idx` is dropped. */
export function packPaths(prefix: string): Required<InsightFaceRecPaths> {
  const base = prefix.replace(/\.(rec|idx)$/, '');
  return {
    rec: `${base}.rec`,
    idx: `${base}.idx`,
    property: path.join(path.dirname(base), 'property'),
    names: `${base}.names`,
  };
}

/** The class of an image record: its scalar label or the array's first. */
function labelOf(header: IRHeaderOnly, where: () => string): number {
  const label =
    typeof header.label === 'number' ? header.label : header.label[0];
  if (!Number.isInteger(label) || label < 0) {
    throw new DataError(
      `${where()}: label must be a non-negative integer class id, but got ` +
        `${label}${header.flag > 0 ? ' (first of the label array)' : ''}`,
    );
  }
  return label;
}

async function readNames(file: string, required: boolean) {
  try {
    const text = await fs.readFile(file, 'utf8');
    return text.split('\n').filter((line, i, all) => {
      return line !== '' || i < all.length - 1;
    });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && !required) return null;
    throw error;
  }
}

/**
 * Opens an InsightFace RecordIO pack by prefix (`/data/faces_emore/train`)
 * or by explicit paths. Reads the header record, the identity records and
 * the header of every image record (NOTE: a sequential pass over the
 * image records, so a pack of millions takes a while), and validates
 * them all; the `.rec` stays open until `close()`.
 */
export async function openInsightFaceRec(
  pack: string | InsightFaceRecPaths,
): Promise<InsightFaceRecSource> {
  const explicit: Partial<InsightFaceRecPaths> =
    typeof pack === 'string' ? {} : pack;
  const defaults = packPaths(typeof pack === 'string' ? pack : pack.rec);
  const files = {
    rec: explicit.rec ?? defaults.rec,
    idx: explicit.idx ?? defaults.idx,
    property: explicit.property ?? defaults.property,
    names: explicit.names ?? defaults.names,
  };
  const property = await readProperty(files.property);
  if (property === null && explicit.property !== undefined) {
    throw new DataError(
      `${files.property}: property file must exist, but it does not`,
    );
  }
  const classNames = await readNames(files.names, explicit.names !== undefined);

  const reader = await RecordIOReader.open(files.rec, files.idx);
  try {
    const layout = await readLayout(reader);
    const numIdentities = layout.endIdentity - layout.firstIdentity;
    const { imageKeys } = layout;
    const labels = new Int32Array(imageKeys.length);
    await reader.scanHeaders(imageKeys, (i, header) => {
      labels[i] = labelOf(header, () => reader.describe(imageKeys[i]));
    });

    // num_classes: the property file, else the identity records, else
    // the labels themselves.
    let numClasses = property?.numClasses ?? numIdentities;
    if (property === null && numIdentities === 0) {
      numClasses = labels.reduce((max, label) => Math.max(max, label + 1), 0);
    }
    if (layout.hasHeader && numIdentities > 0 && numIdentities !== numClasses) {
      throw new DataError(
        `${files.property}: num_classes must equal the ${numIdentities} ` +
          `identity records of ${files.rec}, but got ${numClasses}`,
      );
    }
    const bad = labels.findIndex((label) => label >= numClasses);
    if (bad >= 0) {
      const from = property ? files.property : 'the identity records';
      throw new DataError(
        `${reader.describe(imageKeys[bad])}: label must be < num_classes ` +
          `${numClasses} (from ${from}), but got ${labels[bad]}`,
      );
    }
    if (numIdentities > 0) {
      await checkIdentityRanges(reader, layout, labels, numClasses);
    }
    if (classNames !== null && classNames.length !== numClasses) {
      throw new DataError(
        `${files.names}: the class name list must have ${numClasses} ` +
          `lines, but got ${classNames.length}`,
      );
    }

    return makeSource(reader, layout.hasHeader, imageKeys, labels, {
      numClasses,
      property,
      classNames,
    });
  } catch (error) {
    await reader.close();
    throw error;
  }
}

function makeSource(
  reader: RecordIOReader,
  hasHeader: boolean,
  imageKeys: Float64Array,
  labels: Int32Array,
  extra: {
    numClasses: number;
    property: RecProperty | null;
    classNames: string[] | null;
  },
): InsightFaceRecSource {
  const numImages = imageKeys.length;
  const headerWords = hasHeader ? 'header record' : 'no header record';
  return {
    description:
      `InsightFace RecordIO ${reader.recPath}: ${numImages} images, ` +
      `${extra.numClasses} classes, ${headerWords}`,
    numImages,
    numClasses: extra.numClasses,
    labels,
    classNames: extra.classNames,
    recPath: reader.recPath,
    idxPath: reader.idxPath,
    hasHeader,
    imageKeys,
    property: extra.property,
    async read(index: number, resize: ResizeOptions): Promise<DecodedImage> {
      if (!Number.isInteger(index) || index < 0 || index >= numImages) {
        throw new DataError(
          `${reader.recPath}: image index must be an integer in ` +
            `[0, ${numImages}), but got ${index}`,
        );
      }
      const key = imageKeys[index];
      const where = reader.describe(key);
      const record = await reader.readRecord(key);
      if (record.data.length === 0) {
        throw new DataError(
          `${where}: an image record must hold image bytes, but got none`,
        );
      }
      return decodeImage(record.data, resize, where);
    },
    close: () => reader.close(),
  };
}
