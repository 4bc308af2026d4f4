/**
 * The shapes every face data source shares, whatever its format: image
 * folders, InsightFace RecordIO packs, verification packs, pair lists and
 * the synthetic identities. The input pipeline and the evaluation code only
 * see these interfaces.
 */

/** One decoded image: RGB, row-major HWC, uint8. */
export interface DecodedImage {
  pixels: Uint8Array;
  height: number;
  width: number;
  channels: 3;
}

/** How a decoded image is brought to the model's square input. */
export interface ResizeOptions {
  /** Output side in pixels (the model's input is size x size). */
  size: number;
  /**
   * 'cover' (default) scales the short side to `size` and crops the
   * centre; 'fill' stretches; 'contain' letterboxes with black.
   */
  fit?: 'cover' | 'fill' | 'contain';
  /**
   * Optional centre crop before resizing, as a fraction of each side
   * (0 < fraction <= 1). LFW's 250x250 photos hold the face in the
   * middle ~0.5. Default: 1 (no crop).
   */
  centerCrop?: number;
}

/** Raised for data that is missing, malformed or inconsistent. */
export class DataError extends Error {
  override name = 'DataError';
}

/** A labelled set of face images addressable by index (training data). */
export interface LabelledSource {
  /** One line a person can read: kind, location, counts. */
  readonly description: string;
  readonly numImages: number;
  readonly numClasses: number;
  /** labels[i] is the identity of image i, int32 in [0, numClasses). */
  readonly labels: Int32Array;
  /** Identity names by label, when the source has them (saved with runs). */
  readonly classNames: readonly string[] | null;
  /** Decodes image `index` as RGB and brings it to `resize.size`. */
  read(index: number, resize: ResizeOptions): Promise<DecodedImage>;
  /** Releases open files, if any. */
  close?(): Promise<void>;
}

/**
 * A verification set: 2 * numPairs images interleaved by pair (pair i is
 * images 2i and 2i + 1), and whether each pair shows the same identity.
 */
export interface VerificationSet {
  readonly name: string;
  readonly numPairs: number;
  /** issame[i] for pair i. */
  readonly issame: readonly boolean[];
  /**
   * The fold of each pair when the list defines folds (LFW's pairs.txt),
   * else null (the 10-fold protocol then uses contiguous blocks).
   */
  readonly folds: Int32Array | null;
  /** Decodes image `index` (0 <= index < 2 * numPairs). */
  readImage(index: number, resize: ResizeOptions): Promise<DecodedImage>;
  /**
   * sha256 over the pair list and every image's bytes, printed with each
   * result so two copies of "the same" set can be told apart.
   */
  sha256(): Promise<string>;
  close?(): Promise<void>;
}
