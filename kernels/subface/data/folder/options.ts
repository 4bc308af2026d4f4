/** Options and report of `openImageFolder`. */
import * as path from 'node:path';

import { validateResize } from '../decode';
import { DataError, ResizeOptions } from '../types';
import { LabelMap, parseLabelMap } from './label_map';
import { checkKeys } from '../checks';

/** What `read` does with a file that cannot be read or decoded. */
export type UnreadablePolicy = 'error' | 'skip';

/** Alignment of each image from 5 landmarks listed beside the images. */
export interface FolderAlignOptions {
  /**
   * The landmarks CSV (format in align/landmarks_csv.ts). Default:
   * `<root>/landmarks.csv`.
   */
  landmarks?: string;
}

export interface ImageFolderOptions {
  /**
   * Used by `read` when it is called without resize options. Default
   * { size: 112 } (cover fit, no centre crop).
   */
  resize?: ResizeOptions;
  /**
   * Identities with fewer images (after `identities` and `manifest`) are
   * dropped and listed in the report. Default 1.
   */
  minImagesPerIdentity?: number;
  /** Keep only these identity folders (each must exist). Default: all. */
  identities?: readonly string[];
  /**
   * Leave out these identities (e.g. the people of an evaluation set),
   * after `identities`; they are listed in `report.excludedIdentities`.
   * Names with no folder under the root are allowed: they exclude
   * nothing. Default: none.
   */
  excludeIdentities?: readonly string[];
  /**
   * Keep only these images: paths relative to the root (each must exist),
   * or a predicate on such paths ('identity/file.jpg'). Identities left
   * with no image are excluded. Default: every image.
   */
  manifest?: readonly string[] | ((relativePath: string) => boolean);
  /**
   * 'error' (default): `read` throws a DataError naming the file and what
   * the decoder said. 'skip': the file is recorded in `report.skipped`
   * and `read` returns another readable image of the same identity, so
   * labels stay right and an epoch does not stop. Call `validate()` first
   * to find every bad file up front.
   */
  onUnreadable?: UnreadablePolicy;
  /**
   * An existing identity-to-label map (e.g. from a checkpoint). The
   * folder's identities must be exactly these; labels follow its order.
   * Default: identities in byte order of their names.
   */
  labelMap?: LabelMap;
  /**
   * Align every image to the ArcFace template from landmarks (true: the
   * CSV at `<root>/landmarks.csv`). Reads then ignore `resize.fit` and
   * refuse `resize.centerCrop`: the aligned crop is already the face.
   * Default: false.
   */
  align?: boolean | FolderAlignOptions;
}

export interface ResolvedImageFolderOptions {
  resize: ResizeOptions;
  minImagesPerIdentity: number;
  identities: readonly string[] | null;
  excludeIdentities: readonly string[];
  manifest: readonly string[] | ((relativePath: string) => boolean) | null;
  onUnreadable: UnreadablePolicy;
  labelMap: LabelMap | null;
  /** The landmarks CSV path, or null without alignment. */
  landmarks: string | null;
}

export const DEFAULT_IMAGE_FOLDER_OPTIONS = Object.freeze({
  resize: Object.freeze({ size: 112 }),
  minImagesPerIdentity: 1,
  onUnreadable: 'error',
  landmarksFile: 'landmarks.csv',
} as const);

/** Checks `options` and fills in defaults; `root` locates the CSV. */
const IMAGE_FOLDER_OPTION_KEYS = [
  'resize',
  'minImagesPerIdentity',
  'identities',
  'excludeIdentities',
  'manifest',
  'onUnreadable',
  'labelMap',
  'align',
];

export function resolveImageFolderOptions(
  options: ImageFolderOptions,
  root: string,
): ResolvedImageFolderOptions {
  const where = `openImageFolder(${root})`;
  checkKeys(where, options, IMAGE_FOLDER_OPTION_KEYS);
  const resize = { ...(options.resize ?? DEFAULT_IMAGE_FOLDER_OPTIONS.resize) };
  validateResize(resize, where);

  const minImages =
    options.minImagesPerIdentity ??
    DEFAULT_IMAGE_FOLDER_OPTIONS.minImagesPerIdentity;
  if (!Number.isInteger(minImages) || minImages < 1) {
    throw new DataError(
      `${where}: minImagesPerIdentity must be a positive integer, but got ` +
        minImages,
    );
  }

  const onUnreadable =
    options.onUnreadable ?? DEFAULT_IMAGE_FOLDER_OPTIONS.onUnreadable;
  if (onUnreadable !== 'error' && onUnreadable !== 'skip') {
    throw new DataError(
      `${where}: onUnreadable must be one of 'error', 'skip', but got ` +
        `'${onUnreadable}'`,
    );
  }

  const identities = options.identities ?? null;
  if (
    identities !== null &&
    (!Array.isArray(identities) ||
      identities.some((name) => typeof name !== 'string'))
  ) {
    throw new DataError(
      `${where}: identities must be an array of folder names, but got ` +
        JSON.stringify(identities),
    );
  }

  const excludeIdentities = options.excludeIdentities ?? [];
  if (
    !Array.isArray(excludeIdentities) ||
    excludeIdentities.some((name) => typeof name !== 'string')
  ) {
    throw new DataError(
      `${where}: excludeIdentities must be an array of identity names, ` +
        `but got ${JSON.stringify(excludeIdentities)}`,
    );
  }

  const manifest = options.manifest ?? null;
  if (
    manifest !== null &&
    typeof manifest !== 'function' &&
    (!Array.isArray(manifest) || manifest.some((p) => typeof p !== 'string'))
  ) {
    throw new DataError(
      `${where}: manifest must be an array of relative paths or a ` +
        `function, but got ${typeof manifest}`,
    );
  }

  const align = options.align ?? false;
  let landmarks: string | null = null;
  if (align !== false) {
    const given = align === true ? undefined : align.landmarks;
    landmarks =
      given ?? path.join(root, DEFAULT_IMAGE_FOLDER_OPTIONS.landmarksFile);
  }

  return {
    resize,
    minImagesPerIdentity: minImages,
    identities,
    excludeIdentities: [...excludeIdentities],
    manifest,
    onUnreadable,
    labelMap:
      options.labelMap === undefined
        ? null
        : parseLabelMap(options.labelMap, `${where}: labelMap`),
    landmarks,
  };
}

/** An image that could not be read or decoded, and why. */
export interface SkippedFile {
  /** Relative to the root. */
  path: string;
  reason: string;
}

/** What opening a folder found; `skipped` grows as reads find bad files. */
export interface ImageFolderReport {
  root: string;
  numIdentities: number;
  numImages: number;
  /** Identity folders holding no image file at all. */
  emptyIdentities: string[];
  /** Identities with fewer than `minImagesPerIdentity` images. */
  droppedIdentities: { identity: string; numImages: number }[];
  /**
   * Identities left out by the `identities` list, `excludeIdentities` or
   * the manifest.
   */
  excludedIdentities: string[];
  /** Hidden entries, non-image files, nested folders (relative paths). */
  ignored: string[];
  /** Unreadable images passed over (only with onUnreadable: 'skip'). */
  skipped: SkippedFile[];
  /** Whether images are aligned from landmarks. */
  aligned: boolean;
}
