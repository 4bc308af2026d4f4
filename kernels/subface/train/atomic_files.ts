/**
 * Writes that are all or nothing: a folder is written under a temporary
 * name next to its destination and renamed into place, and a small file
 * the same way. A reader therefore sees the old folder or the complete new
 * one, never a half-written one, and a failed write leaves no temporary
 * folder behind.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import { CheckpointError } from './errors';

/** Where file contents go; tests inject one that fails midway. */
export interface FileWriter {
  writeFile(filePath: string, data: Uint8Array | string): Promise<void>;
}

/** Writes and fsyncs, so a rename after it never exposes empty files. */
export const NODE_FILE_WRITER: FileWriter = {
  async writeFile(filePath, data) {
    const handle = await fs.open(filePath, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** The infix of temporary folders and files: `<name>.tmp-<hex>`. */
export const TEMP_INFIX = '.tmp-';

function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}

async function exists(target: string): Promise<boolean> {
  try {
    await fs.lstat(target);
    return true;
  } catch {
    return false;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface FolderFile {
  /** A plain file name inside the folder. */
  name: string;
  data: Uint8Array | string;
}

/**
 * Writes `files` as the folder `dir`, replacing an existing one only once
 * the new one is complete. On failure the previous folder (if any) is
 * left as it was and the temporary folder is removed.
 */
export async function writeFolderAtomically(
  dir: string,
  files: readonly FolderFile[],
  writer: FileWriter = NODE_FILE_WRITER,
): Promise<void> {
  const target = path.resolve(dir);
  const temp = `${target}${TEMP_INFIX}${randomSuffix()}`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(temp);
    for (const file of files) {
      await writer.writeFile(path.join(temp, file.name), file.data);
    }
    await replaceWith(temp, target);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw new CheckpointError(
      `writeFolderAtomically: '${target}' must be writable, but got ` +
        `"${describeError(error)}" (nothing was changed there)`,
      { cause: error },
    );
  }
}

/**
 * Renames `temp` to `target`. An existing target is first moved aside
 * and put back if the second rename fails, since a directory cannot be
 * renamed over a non-empty one.
 */
async function replaceWith(temp: string, target: string): Promise<void> {
  if (!(await exists(target))) {
    await fs.rename(temp, target);
    return;
  }
  const aside = `${target}.old-${randomSuffix()}`;
  await fs.rename(target, aside);
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rename(aside, target);
    throw error;
  }
  await fs.rm(aside, { recursive: true, force: true });
}

/**
 * Writes a small file by writing a sibling and renaming it over the old
 * one (a rename replaces a file atomically on POSIX and on Windows).
 */
export async function writeFileAtomically(
  filePath: string,
  data: string | Uint8Array,
  writer: FileWriter = NODE_FILE_WRITER,
): Promise<void> {
  const target = path.resolve(filePath);
  const temp = `${target}${TEMP_INFIX}${randomSuffix()}`;
  try {
    await writer.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new CheckpointError(
      `writeFileAtomically: '${target}' must be writable, but got ` +
        `"${describeError(error)}"`,
      { cause: error },
    );
  }
}
