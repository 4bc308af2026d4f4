/**
 * An LFW pairs list resolved against an image folder in LFW's layout
 * (`<root>/Name/Name_0001.jpg`) as a `VerificationSet` that keeps the
 * list's folds.
 */
import { createHash } from 'node:crypto';
import { access, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';

import { decodeImage } from '../decode';
import { DataError, DecodedImage, ResizeOptions } from '../types';
import { checkImageIndex, EncodedVerificationSet } from './encoded_set';
import { PairsList, PairsListEntry, parsePairsList } from './pairs_list';
import { checkKeys } from '../checks';

/** How many missing files an error or note lists by name. */
const MAX_LISTED_MISSING = 5;

/** File checks in flight at once. */
const CHECK_CONCURRENCY = 32;

export interface PairsListOptions {
  /** Keep only these folds (1-based, as LFW numbers them). Default: all. */
  onlyFolds?: readonly number[];
  /**
   * 'error' (default): a missing image file throws, naming the first few.
   * 'skip': pairs with a missing image are dropped and counted in
   * `numSkippedPairs` / `missingFiles`.
   */
  missing?: 'error' | 'skip';
  /** Set name. Default: the list's file name without extension. */
  name?: string;
  /** Image file extension. Default '.jpg'. */
  extension?: string;
}

/** A pairs list with its images on disk. */
export interface PairsListSet extends EncodedVerificationSet {
  /** The whole parsed list, before fold selection and skipping. */
  readonly list: PairsList;
  /** The kept entries: pair i is entries[i]. */
  readonly entries: readonly PairsListEntry[];
  /** entries[i].fold for each kept pair, 1-based. */
  readonly folds: Int32Array;
  /** Pairs dropped because an image file is missing (missing: 'skip'). */
  readonly numSkippedPairs: number;
  /** The missing image files, relative to the root, in list order. */
  readonly missingFiles: readonly string[];
  /** The file of image `index` (0 <= index < 2 * numPairs). */
  imagePath(index: number): string;
}

function relativeImagePath(
  name: string,
  imageNumber: number,
  extension: string,
): string {
  const file = `${name}_${String(imageNumber).padStart(4, '0')}${extension}`;
  // Forward slashes on every platform, so sha256() does not depend on it.
  return `${name}/${file}`;
}

async function findMissing(
  root: string,
  files: readonly string[],
): Promise<Set<string>> {
  const missing = new Set<string>();
  for (let start = 0; start < files.length; start += CHECK_CONCURRENCY) {
    const batch = files.slice(start, start + CHECK_CONCURRENCY);
    await Promise.all(
      batch.map((file) =>
        access(path.join(root, file)).catch(() => missing.add(file)),
      ),
    );
  }
  return missing;
}

function checkFolds(folds: readonly number[], numFolds: number, where: string) {
  const bad = folds.find(
    (fold) => !Number.isInteger(fold) || fold < 1 || fold > numFolds,
  );
  if (bad !== undefined || folds.length === 0) {
    throw new DataError(
      `${where}: onlyFolds must be a non-empty list of fold numbers in ` +
        `[1, ${numFolds}], but got [${folds.join(', ')}]`,
    );
  }
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataError(
      `${file}: ${what} must be a readable file, but got ${reason}`,
    );
  }
}

/**
 * Opens `pairsPath` and resolves every pair to image files under
 * `imageRoot`. All files are checked up front: with `missing: 'error'`
 * (default) any missing file throws a DataError giving the count and the
 * first few with their line numbers. `sha256()` covers the list text and,
 * for every kept image in order, its relative path and bytes.
 */
export async function openPairsList(
  pairsPath: string,
  imageRoot: string,
  options: PairsListOptions = {},
): Promise<PairsListSet> {
  checkKeys('openPairsList', options, [
    'onlyFolds',
    'missing',
    'name',
    'extension',
  ]);
  const { missing = 'error', extension = '.jpg' } = options;
  if (missing !== 'error' && missing !== 'skip') {
    throw new DataError(
      `openPairsList: missing must be one of error, skip, but got '${missing}'`,
    );
  }
  const text = await readText(pairsPath, 'pairs list');
  const rootStat = await stat(imageRoot).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw new DataError(
      `${pairsPath}: image root must be a folder, but got '${imageRoot}' ` +
        `(${rootStat ? 'not a folder' : 'missing'})`,
    );
  }
  const list = parsePairsList(text, pairsPath);
  if (options.onlyFolds)
    checkFolds(options.onlyFolds, list.numFolds, pairsPath);
  const folds = new Set(options.onlyFolds ?? []);
  const selected = list.entries.filter(
    (entry) => folds.size === 0 || folds.has(entry.fold),
  );

  const filesOf = (entry: PairsListEntry): [string, string] => [
    relativeImagePath(entry.nameA, entry.numberA, extension),
    relativeImagePath(entry.nameB, entry.numberB, extension),
  ];
  const unique = [...new Set(selected.flatMap(filesOf))];
  const absent = await findMissing(imageRoot, unique);
  const missingFiles = unique.filter((file) => absent.has(file));
  if (missingFiles.length > 0 && missing === 'error') {
    // The first missing files, each once, with the line that names it.
    const firstLine = new Map<string, number>();
    for (const entry of selected) {
      for (const file of filesOf(entry)) {
        if (absent.has(file) && !firstLine.has(file)) {
          firstLine.set(file, entry.line);
        }
      }
      if (firstLine.size >= MAX_LISTED_MISSING) break;
    }
    const examples = [...firstLine]
      .slice(0, MAX_LISTED_MISSING)
      .map(([file, line]) => `${file} (line ${line})`);
    throw new DataError(
      `${pairsPath}: image files must exist under ${imageRoot}, but ` +
        `${missingFiles.length} of ${unique.length} are missing, e.g. ` +
        `${examples.join(', ')}; pick folds whose images are there ` +
        `(onlyFolds, or --folds / --eval-folds of the subface command) ` +
        `or, from the library, pass missing: 'skip' to use the pairs ` +
        `that are there`,
    );
  }

  const entries = selected.filter((entry) =>
    filesOf(entry).every((file) => !absent.has(file)),
  );
  if (entries.length === 0) {
    throw new DataError(
      `${pairsPath}: the selected pairs must have their images under ` +
        `${imageRoot}, but got 0 usable pairs of ${selected.length}`,
    );
  }
  const files = entries.flatMap(filesOf);
  const imagePath = (index: number): string => {
    checkImageIndex(index, files.length, pairsPath);
    return path.join(imageRoot, files[index]);
  };
  const readImageFile = async (index: number): Promise<Uint8Array> => {
    const file = imagePath(index);
    try {
      return await readFile(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new DataError(
        `${file}: image must be a readable file, but got ${reason}`,
      );
    }
  };

  let digest: string | null = null;
  const sha256 = async (): Promise<string> => {
    if (digest === null) {
      const hash = createHash('sha256').update(text);
      for (let i = 0; i < files.length; i++) {
        hash.update(`\n${files[i]}\n`);
        hash.update(await readImageFile(i));
      }
      digest = hash.digest('hex');
    }
    return digest;
  };

  return {
    name: options.name ?? path.parse(pairsPath).name,
    list,
    entries,
    numPairs: entries.length,
    numImages: files.length,
    issame: entries.map((entry) => entry.issame),
    folds: Int32Array.from(entries, (entry) => entry.fold),
    numSkippedPairs: selected.length - entries.length,
    missingFiles,
    imagePath,
    readEncoded: readImageFile,
    readImage: async (
      index: number,
      resize: ResizeOptions,
    ): Promise<DecodedImage> =>
      decodeImage(await readImageFile(index), resize, imagePath(index)),
    sha256,
  };
}
