/**
 * `subface pack <folder> <prefix>`: an identity-per-sub-folder image tree
 * to an InsightFace pack.
 */
import * as path from 'node:path';

import { ImageFolderOptions, openImageFolder } from '../folder';
import {
  InsightFaceWriteConfig,
  InsightFaceWriteResult,
  RecImageItem,
  writeInsightFaceRec,
} from './insightface_writer';

export interface FolderImages {
  items: RecImageItem[];
  /** Sub-folder names by label. */
  classNames: string[];
}

/**
 * Lists `<folder>/<identity>/<image>` exactly as the image-folder source
 * sees it (same files, same identity order and labels), so a pack and the
 * folder it came from train identically.
 */
export async function listIdentityFolders(
  folder: string,
  options: ImageFolderOptions = {},
): Promise<FolderImages> {
  const source = await openImageFolder(folder, options);
  try {
    const items = source.paths.map((relative, index) => ({
      label: source.labels[index],
      path: path.join(source.root, relative),
    }));
    return { items, classNames: [...source.classNames] };
  } finally {
    await source.close();
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
  folderOptions: ImageFolderOptions = {},
): Promise<InsightFaceWriteResult & { classNames: string[] }> {
  const { items, classNames } = await listIdentityFolders(
    folder,
    folderOptions,
  );
  const result = await writeInsightFaceRec(items, prefix, {
    ...config,
    classNames,
  });
  return { ...result, classNames };
}
