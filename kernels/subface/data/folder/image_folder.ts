/**
 * A training source over an image folder with one sub-folder per
 * identity (`root/<identity>/<image>`), the layout of ORL, LFW and most
 * face sets before they are packed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { Point } from '../align/similarity';
import { alignFace } from '../align/warp';
import { decodeImage, decodeImageNative, validateResize } from '../decode';
import {
  DataError,
  DecodedImage,
  LabelledSource,
  ResizeOptions,
} from '../types';
import { LabelMap, listNames } from './label_map';
import { loadLandmarks } from './landmarks';
import {
  ImageFolderOptions,
  ImageFolderReport,
  resolveImageFolderOptions,
  ResolvedImageFolderOptions,
  SkippedFile,
} from './options';
import { scanImageFolder } from './scan';
import { FolderSelection, selectIdentities } from './select';

/** Decodes running at once in `validate()`; decoding is CPU-bound. */
const DEFAULT_VALIDATE_CONCURRENCY = 4;

/**
 * Images are indexed by label, then by file name in byte order, so index
 * i and labels[i] are the same on every machine.
 */
export class ImageFolderSource implements LabelledSource {
  readonly description: string;
  readonly numImages: number;
  readonly numClasses: number;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  /** paths[i]: image i relative to the root ('identity/file.jpg'). */
  readonly paths: readonly string[];
  readonly root: string;
  readonly aligned: boolean;
  /** Used by `read` when called without resize options. */
  readonly defaultResize: ResizeOptions;

  private readonly policy: ResolvedImageFolderOptions['onUnreadable'];
  private readonly landmarks: readonly Point[][] | null;
  /** firstIndex[label]: the first image of that identity. */
  private readonly firstIndex: Int32Array;
  private readonly bad = new Map<number, string>();
  private readonly found: Omit<ImageFolderReport, 'skipped'>;

  /** Use `openImageFolder`. */
  constructor(
    root: string,
    selection: FolderSelection,
    ignored: string[],
    options: ResolvedImageFolderOptions,
    landmarks: readonly Point[][] | null,
  ) {
    this.root = root;
    this.policy = options.onUnreadable;
    this.defaultResize = options.resize;
    this.landmarks = landmarks;
    this.aligned = landmarks !== null;
    this.classNames = selection.identities.map((identity) => identity.name);
    this.paths = selection.identities.flatMap((identity) => identity.files);
    this.numClasses = this.classNames.length;
    this.numImages = this.paths.length;

    this.labels = new Int32Array(this.numImages);
    this.firstIndex = new Int32Array(this.numClasses + 1);
    let index = 0;
    selection.identities.forEach((identity, label) => {
      this.firstIndex[label] = index;
      this.labels.fill(label, index, index + identity.files.length);
      index += identity.files.length;
    });
    this.firstIndex[this.numClasses] = index;

    this.found = {
      root,
      numIdentities: this.numClasses,
      numImages: this.numImages,
      emptyIdentities: selection.emptyIdentities,
      droppedIdentities: selection.droppedIdentities,
      excludedIdentities: selection.excludedIdentities,
      ignored,
      aligned: this.aligned,
    };
    const empty = selection.emptyIdentities.length;
    this.description =
      `image folder ${root}: ${this.numClasses} identities, ` +
      `${this.numImages} images` +
      (this.aligned ? ', aligned from landmarks' : '') +
      (empty > 0 ? `, ${empty} empty identity folders` : '');
  }

  /** What opening found, plus the files skipped so far. */
  get report(): ImageFolderReport {
    const skipped = [...this.bad.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, reason]) => ({ path: this.paths[index], reason }));
    return { ...structuredClone(this.found), skipped };
  }

  /** The identity-to-label map, to save with a run (JSON-serialisable). */
  labelMap(): LabelMap {
    return { version: 1, identities: [...this.classNames] };
  }

  /**
   * Decodes image `index` as RGB at `resize.size` (aligned when the folder
   * has landmarks). With onUnreadable 'skip', an unreadable file is
   * recorded and the next readable image of the same identity (in index
   * order, wrapping around) is returned instead; only an identity with no
   * readable image at all throws.
   */
  async read(
    index: number,
    resize: ResizeOptions = this.defaultResize,
  ): Promise<DecodedImage> {
    const where = `${this.root}: read`;
    if (!Number.isInteger(index) || index < 0 || index >= this.numImages) {
      throw new DataError(
        `${where}: index must be an integer in [0, ${this.numImages}), but ` +
          `got ${index}`,
      );
    }
    this.checkResize(resize, where);
    if (this.policy === 'error') return this.decode(index, resize);

    const label = this.labels[index];
    const first = this.firstIndex[label];
    const count = this.firstIndex[label + 1] - first;
    for (let step = 0; step < count; step++) {
      const candidate = first + ((index - first + step) % count);
      if (this.bad.has(candidate)) continue;
      try {
        return await this.decode(candidate, resize);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        this.bad.set(candidate, error.message);
      }
    }
    throw new DataError(
      `${where}: identity '${this.classNames[label]}' must have at least ` +
        `one readable image, but all ${count} failed (onUnreadable: 'skip'; ` +
        `see report.skipped)`,
    );
  }

  /**
   * Decodes every image once, at the default size, and returns those that
   * fail. With onUnreadable 'error' it throws a DataError listing them;
   * with 'skip' they are recorded so later reads never try them.
   */
  async validate(
    options: { concurrency?: number } = {},
  ): Promise<SkippedFile[]> {
    const concurrency = options.concurrency ?? DEFAULT_VALIDATE_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new DataError(
        `${this.root}: validate: concurrency must be a positive integer, ` +
          `but got ${concurrency}`,
      );
    }
    const failed = new Map<number, string>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.numImages) {
        const index = next++;
        try {
          await this.decode(index, this.defaultResize);
        } catch (error) {
          if (!(error instanceof DataError)) throw error;
          failed.set(index, error.message);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    const unreadable = [...failed.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, reason]) => ({ path: this.paths[index], reason }));
    if (this.policy === 'error' && unreadable.length > 0) {
      throw new DataError(
        `${this.root}: every image must decode, but got ` +
          `${unreadable.length} that do not ` +
          `(${listNames(unreadable.map((f) => f.path))}); first: ` +
          unreadable[0].reason,
      );
    }
    failed.forEach((reason, index) => this.bad.set(index, reason));
    return unreadable;
  }

  /** Nothing stays open between reads. */
  async close(): Promise<void> {}

  private checkResize(resize: ResizeOptions, where: string): void {
    validateResize(resize, where);
    if (this.aligned && (resize.centerCrop ?? 1) !== 1) {
      throw new DataError(
        `${where}: resize.centerCrop must be 1 for an aligned folder (the ` +
          `crop comes from the landmarks), but got ${resize.centerCrop}`,
      );
    }
  }

  private async decode(
    index: number,
    resize: ResizeOptions,
  ): Promise<DecodedImage> {
    const file = path.join(this.root, this.paths[index]);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DataError(
        `${file}: image file must be readable, but got ${message}`,
      );
    }
    if (this.landmarks === null) return decodeImage(bytes, resize, file);
    const image = await decodeImageNative(bytes, file);
    return alignFace(image, this.landmarks[index], resize.size);
  }
}

/**
 * Opens `root` as a labelled source: each sub-folder is an identity, its
 * images (.jpg .jpeg .png .pgm .ppm .gif .webp .tif .tiff, any case) are
 * that identity's samples. Labels follow the identity names in UTF-8 byte
 * order ('s1', 's10', 's11', ..., 's2'), unless `options.labelMap` is
 * given. Hidden entries, other files and nested folders are ignored and
 * listed in `report.ignored`; empty identity folders are listed in
 * `report.emptyIdentities`. Nothing is decoded until `read` or
 * `validate`.
 *
 * @throws DataError when the root is missing or not a folder, holds no
 *   identity folder, holds images directly (they would have no identity),
 *   when every identity folder is empty or filtered out, when named
 *   identities or manifest paths do not exist, when the label map does not
 *   match, or when landmarks are missing or malformed.
 */
export async function openImageFolder(
  root: string,
  options: ImageFolderOptions = {},
): Promise<ImageFolderSource> {
  const resolved = resolveImageFolderOptions(options, root);
  const scan = await scanImageFolder(root);
  const selection = selectIdentities(scan, resolved, root);

  let landmarks: Point[][] | null = null;
  if (resolved.landmarks !== null) {
    const allImages = new Set(scan.identities.flatMap((i) => i.files));
    const paths = selection.identities.flatMap((i) => i.files);
    landmarks = await loadLandmarks(resolved.landmarks, root, allImages, paths);
  }
  return new ImageFolderSource(
    root,
    selection,
    scan.ignored,
    resolved,
    landmarks,
  );
}
