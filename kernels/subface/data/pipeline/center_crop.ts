/**
 * A source whose reads crop the centre of every image unless the caller
 * asks for another crop: for photos whose face fills only the middle
 * (LFW's 250x250 images), applied the same way in training and in
 * evaluation.
 */
import { DataError, LabelledSource } from '../types';

/**
 * `source` reading with `centerCrop: fraction` by default; a read that
 * names its own centerCrop keeps it. 1 returns `source` itself.
 */
export function withCenterCrop(
  source: LabelledSource,
  fraction: number,
): LabelledSource {
  if (!(typeof fraction === 'number' && fraction > 0 && fraction <= 1)) {
    throw new DataError(
      `withCenterCrop: fraction must be in (0, 1], but got ${fraction}`,
    );
  }
  if (fraction === 1) return source;
  return {
    description: `${source.description}, centre crop ${fraction}`,
    numImages: source.numImages,
    numClasses: source.numClasses,
    labels: source.labels,
    classNames: source.classNames,
    read: (index, resize) =>
      source.read(index, {
        ...resize,
        centerCrop: resize.centerCrop ?? fraction,
      }),
    close: source.close === undefined ? undefined : () => source.close!(),
  };
}
