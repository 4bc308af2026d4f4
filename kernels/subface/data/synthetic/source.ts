/**
 * The synthetic identities as a LabelledSource: the project's default
 * data, drawn on demand. Image i is person floor(i / imagesPerIdentity),
 * photo i % imagesPerIdentity; nothing is stored, so a million-image set
 * costs no memory and any subset can be read in any order.
 */
import {
  DataError,
  DecodedImage,
  LabelledSource,
  ResizeOptions,
} from '../types';
import { Canvas } from './canvas';
import {
  ResolvedSyntheticFacesConfig,
  resolveSyntheticFacesConfig,
  SyntheticFacesConfig,
} from './config';
import { drawFace } from './draw_face';
import {
  drawIdentity,
  drawNuisances,
  IdentityTraits,
  ImageNuisances,
} from './traits';

const FITS = ['cover', 'fill', 'contain'];

/** A LabelledSource of synthetic faces, with synchronous extras. */
export interface SyntheticFaces extends LabelledSource {
  readonly config: ResolvedSyntheticFacesConfig;
  /** The person number (seed stream) behind `label`. */
  identityOf(label: number): number;
  /** The traits of the person with `label`. */
  traits(label: number): IdentityTraits;
  /** The nuisances of image `index`. */
  nuisances(index: number): ImageNuisances;
  /** Draws image `index` now (no promise); `read` wraps this. */
  render(index: number, resize?: ResizeOptions): DecodedImage;
}

// One canvas per size, reused by every source: drawing is synchronous,
// so no two images ever share it at once.
const canvases = new Map<number, Canvas>();

function canvasFor(size: number): Canvas {
  let canvas = canvases.get(size);
  if (canvas === undefined) {
    canvas = new Canvas(size);
    canvases.set(size, canvas);
  }
  return canvas;
}

function checkResize(resize: ResizeOptions, where: string): void {
  const { size, fit = 'cover', centerCrop = 1 } = resize;
  if (!Number.isInteger(size) || size < 1) {
    throw new DataError(
      `${where}: resize.size must be a positive integer, but got ${size}`,
    );
  }
  if (!FITS.includes(fit)) {
    throw new DataError(
      `${where}: resize.fit must be one of ${FITS.join(', ')}, but got ` +
        `'${fit}'`,
    );
  }
  if (!(centerCrop > 0 && centerCrop <= 1)) {
    throw new DataError(
      `${where}: resize.centerCrop must be in (0, 1], but got ${centerCrop}`,
    );
  }
}

/**
 * Creates `numIdentities` x `imagesPerIdentity` synthetic faces. Traits
 * come from (seed, person), nuisances from (seed, person, image).
 * `read(i, resize)` draws at `resize.size` directly (every fit gives the
 * same square image; `centerCrop` zooms in).
 */
export function createSyntheticFaces(
  config: SyntheticFacesConfig = {},
): SyntheticFaces {
  const resolved = resolveSyntheticFacesConfig(config);
  const { numIdentities, imagesPerIdentity, seed, size } = resolved;
  const numImages = numIdentities * imagesPerIdentity;
  const labels = new Int32Array(numImages);
  for (let i = 0; i < numImages; i++) {
    labels[i] = Math.floor(i / imagesPerIdentity);
  }
  const traitCache = new Map<number, IdentityTraits>();

  const checkIndex = (index: number, where: string): void => {
    if (!Number.isInteger(index) || index < 0 || index >= numImages) {
      throw new DataError(
        `${where}: index must be an integer in [0, ${numImages}), but got ` +
          index,
      );
    }
  };
  const identityOf = (label: number): number => resolved.firstIdentity + label;
  const traits = (label: number): IdentityTraits => {
    let found = traitCache.get(label);
    if (found === undefined) {
      found = drawIdentity(seed, identityOf(label), resolved.traitSpread);
      traitCache.set(label, found);
    }
    return found;
  };
  const nuisances = (index: number): ImageNuisances => {
    checkIndex(index, 'SyntheticFaces.nuisances');
    const label = labels[index];
    const image = index % imagesPerIdentity;
    return drawNuisances(
      seed,
      identityOf(label),
      image,
      traits(label),
      resolved,
    );
  };
  const render = (
    index: number,
    resize: ResizeOptions = { size },
  ): DecodedImage => {
    const where = `SyntheticFaces.read(${index})`;
    checkIndex(index, where);
    checkResize(resize, where);
    const side = resize.size;
    const pixels = drawFace(
      traits(labels[index]),
      nuisances(index),
      { size: side, nativeSize: size, zoom: 1 / (resize.centerCrop ?? 1) },
      canvasFor(side),
    );
    return { pixels, height: side, width: side, channels: 3 };
  };

  return {
    description:
      `synthetic faces: ${numIdentities} identities x ` +
      `${imagesPerIdentity} images, seed ${seed}, ` +
      `${resolved.difficulty} difficulty, ${size} px`,
    numImages,
    numClasses: numIdentities,
    labels,
    classNames: null,
    config: resolved,
    identityOf,
    traits,
    nuisances,
    render,
    read: async (index, resize) => render(index, resize),
  };
}
