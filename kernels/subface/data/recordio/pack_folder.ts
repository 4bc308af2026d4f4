/**
 * `subface pack <folder> <prefix>`: an identity-per-sub-folder image tree
 * to an InsightFace pack.
 *
 * TODO: take the image list from the image-folder source
 * (`kernels/subface/data/folder/`) once it lands, so both agree on which
 * files count and how identities are ordered; this walk is a stand-in.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { DataError } from '../types';
import {
  InsightFaceWriteConfig,
  InsightFaceWriteResult,
  RecImageItem,
  writeInsightFaceRec,
} from './insightface_writer';

/** File endings the decoder reads (lower case). */
const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.tif',
  '.tiff',
  '.pgm',
  '.ppm',
]);

export interface FolderImages {
  items: RecImageItem[];
  /** Sub-folder names by label. */
  classNames: string[];
}

/**
 * Lists `<folder>/<identity>/<image>`: identities are the sub-folders that
 * hold at least one image, sorted by name, labelled 0, 1, ...; images are
 * sorted by file name. Hidden entries and files at the top are skipped.
 */
export async function listIdentityFolders(
  folder: string,
): Promise<FolderImages> {
  const entries = await readDir(folder);
  const items: RecImageItem[] = [];
  const classNames: string[] = [];
  for (const name of entries) {
    const dir = path.join(folder, name);
    if (name.startsWith('.') || !(await fs.stat(dir)).isDirectory()) continue;
    const files = (await readDir(dir)).filter(
      (file) =>
        !file.startsWith('.') &&
        IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase()),
    );
    if (files.length === 0) continue;
    const label = classNames.length;
    classNames.push(name);
    for (const file of files) {
      items.push({ label, path: path.join(dir, file) });
    }
  }
  if (items.length === 0) {
    throw new DataError(
      `${folder}: folder must hold identity sub-folders with images ` +
        `(${[...IMAGE_EXTENSIONS].join(', ')}), but got none`,
    );
  }
  return { items, classNames };
}

async function readDir(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataError(`${dir}: folder must be readable, but got ${code}`);
  }
}

/**
 * Packs an identity-folder tree as `<prefix>.rec`, `<prefix>.idx`,
 * `property` (in the prefix's folder) and `<prefix>.names` (the
 * sub-folder names by label). What the CLI's `subface pack` calls.
 */
export async function packFolder(
  folder: string,
  prefix: string,
  config: Omit<InsightFaceWriteConfig, 'classNames' | 'numClasses'> = {},
): Promise<InsightFaceWriteResult & { classNames: string[] }> {
  const { items, classNames } = await listIdentityFolders(folder);
  const result = await writeInsightFaceRec(items, prefix, {
    ...config,
    classNames,
  });
  return { ...result, classNames };
}
