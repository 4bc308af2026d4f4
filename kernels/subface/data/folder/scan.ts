/**
 * Listing an identity-per-folder image tree: which sub-folders are
 * identities, which files are images, and what is ignored.
 */
import { Dirent, promises as fs } from 'node:fs';
import * as path from 'node:path';

import { DataError } from '../types';
import { compareBytes } from './label_map';

/** Image file extensions, matched case-insensitively. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.jpg',
  '.jpeg',
  '.png',
  '.pgm',
  '.ppm',
  '.gif',
  '.webp',
  '.tif',
  '.tiff',
];

/** Identity folders listed at once; bounds open directory handles. */
const LIST_CONCURRENCY = 16;

/** One identity folder and its image files. */
export interface ScannedIdentity {
  name: string;
  /** Paths relative to the root ('name/file'), in byte order. */
  files: string[];
}

export interface FolderScan {
  /** Every identity folder, in byte order of name, empty ones included. */
  identities: ScannedIdentity[];
  /**
   * Relative paths of what was passed over: hidden entries (names
   * starting with '.'), files that are not images, folders nested inside
   * identity folders (with a trailing '/'), root files that are not images.
   */
  ignored: string[];
  /** Image files lying directly in the root (not in any identity). */
  rootImages: string[];
}

/** True when `name` has one of `IMAGE_EXTENSIONS`. */
export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

/** Resolves symbolic links so that linked folders and files count. */
async function kindOf(
  dir: string,
  entry: Dirent,
): Promise<'dir' | 'file' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const stat = await fs.stat(path.join(dir, entry.name));
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  } catch {
    // A dangling link is neither an identity nor an image.
    return 'other';
  }
}

async function listDir(dir: string, where: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(
      `${where}: folder must be readable, but got ${message}`,
    );
  }
}

async function scanIdentity(
  root: string,
  name: string,
  ignored: string[],
): Promise<ScannedIdentity> {
  const dir = path.join(root, name);
  const files: string[] = [];
  for (const entry of await listDir(dir, dir)) {
    const relative = `${name}/${entry.name}`;
    const kind = await kindOf(dir, entry);
    const hidden = entry.name.startsWith('.');
    if (!hidden && kind === 'file' && isImageFile(entry.name)) {
      files.push(relative);
    } else {
      ignored.push(kind === 'dir' ? `${relative}/` : relative);
    }
  }
  files.sort(compareBytes);
  return { name, files };
}

/**
 * Lists `root`: each non-hidden sub-folder is an identity, and its
 * non-hidden image files (by extension) are that identity's images.
 *
 * @throws DataError when `root` does not exist or is not a folder.
 */
export async function scanImageFolder(root: string): Promise<FolderScan> {
  let stat;
  try {
    stat = await fs.stat(root);
  } catch {
    stat = null;
  }
  if (!stat?.isDirectory()) {
    throw new DataError(
      `${root}: image folder root must be an existing folder, but got ` +
        (stat ? 'a file' : 'nothing at that path'),
    );
  }

  const ignored: string[] = [];
  const rootImages: string[] = [];
  const names: string[] = [];
  for (const entry of await listDir(root, root)) {
    const kind = await kindOf(root, entry);
    if (entry.name.startsWith('.')) {
      ignored.push(kind === 'dir' ? `${entry.name}/` : entry.name);
    } else if (kind === 'dir') {
      names.push(entry.name);
    } else if (kind === 'file' && isImageFile(entry.name)) {
      rootImages.push(entry.name);
    } else {
      ignored.push(entry.name);
    }
  }
  names.sort(compareBytes);

  const identities: ScannedIdentity[] = [];
  for (let i = 0; i < names.length; i += LIST_CONCURRENCY) {
    const batch = names.slice(i, i + LIST_CONCURRENCY);
    identities.push(
      ...(await Promise.all(
        batch.map((name) => scanIdentity(root, name, ignored)),
      )),
    );
  }
  ignored.sort(compareBytes);
  rootImages.sort(compareBytes);
  return { identities, ignored, rootImages };
}
