/**
 * Configuration of the synthetic identities: how many people, how many
 * images each, and the difficulty knobs. `docs/synthetic-faces.md` shows
 * what each knob does, with pictures.
 */
import { DataError } from '../types';
import { checkKeys } from '../checks';

/** A named set of difficulty knobs; explicit knobs override it. */
export type SyntheticDifficulty = 'easy' | 'medium' | 'hard';

export const SYNTHETIC_DIFFICULTIES: readonly SyntheticDifficulty[] = [
  'easy',
  'medium',
  'hard',
];

/** The knobs that make recognition harder or easier. */
export interface SyntheticKnobs {
  /**
   * Standard deviation of the head's yaw in degrees; pitch gets 0.6 and
   * roll 0.4 of it. Medium: 15.
   */
  pose: number;
  /**
   * Alignment error: standard deviation of the face's shift (fraction of
   * the image side) and of its log-scale. Medium: 0.03.
   */
  jitter: number;
  /**
   * 0..1: strength of the directional light against the ambient light,
   * and the spread of exposure and colour cast. Medium: 0.5.
   */
  lighting: number;
  /** 0..1: how far smiles, open mouths, squints and blinks go. Medium: 0.5. */
  expression: number;
  /**
   * 0..1: probability that an image gets an occluder (sunglasses, a
   * mask, a hand-like patch). Medium: 0.15.
   */
  occlusion: number;
  /** Largest Gaussian blur sigma, in pixels at the native size. Medium: 1. */
  blur: number;
  /** Largest sensor noise standard deviation, in 0..255 units. Medium: 6. */
  noise: number;
  /**
   * Multiplier on how far identities' traits spread around the average
   * face: smaller means people look more alike (harder). Medium: 1.
   */
  traitSpread: number;
}

export interface SyntheticFacesConfig extends Partial<SyntheticKnobs> {
  /** Number of people. Default 100. */
  numIdentities?: number;
  /** Images per person. Default 20. */
  imagesPerIdentity?: number;
  /** Seed of every trait and nuisance draw. Default 0. */
  seed?: number;
  /**
   * Native side in pixels: the size that blur and noise are defined at,
   * and the size `readNative` draws. `read(i, resize)` draws straight at
   * `resize.size` (the geometry is resolution independent). Default 112.
   */
  size?: number;
  /**
   * The first person's number: labels 0..numIdentities-1 are people
   * firstIdentity.., so sets with different offsets hold different people
   * under the same seed (held-out identities). Default 0.
   */
  firstIdentity?: number;
  /** Preset for the knobs not given explicitly. Default 'medium'. */
  difficulty?: SyntheticDifficulty;
}

export interface ResolvedSyntheticFacesConfig extends SyntheticKnobs {
  numIdentities: number;
  imagesPerIdentity: number;
  seed: number;
  size: number;
  firstIdentity: number;
  difficulty: SyntheticDifficulty;
}

/** The knobs of each preset. */
export const SYNTHETIC_PRESETS: Readonly<
  Record<SyntheticDifficulty, Readonly<SyntheticKnobs>>
> = {
  easy: {
    pose: 5,
    jitter: 0.01,
    lighting: 0.2,
    expression: 0.2,
    occlusion: 0,
    blur: 0.3,
    noise: 2,
    traitSpread: 1.3,
  },
  medium: {
    pose: 15,
    jitter: 0.03,
    lighting: 0.5,
    expression: 0.5,
    occlusion: 0.15,
    blur: 1,
    noise: 6,
    traitSpread: 1,
  },
  hard: {
    pose: 25,
    jitter: 0.05,
    lighting: 0.8,
    expression: 0.8,
    occlusion: 0.3,
    blur: 1.8,
    noise: 12,
    traitSpread: 0.7,
  },
};

export const DEFAULT_SYNTHETIC_FACES_CONFIG: ResolvedSyntheticFacesConfig =
  Object.freeze({
    numIdentities: 100,
    imagesPerIdentity: 20,
    seed: 0,
    size: 112,
    firstIdentity: 0,
    difficulty: 'medium',
    ...SYNTHETIC_PRESETS.medium,
  });

/** Valid range of each knob, inclusive. */
const KNOB_RANGES: Readonly<Record<keyof SyntheticKnobs, [number, number]>> = {
  pose: [0, 60],
  jitter: [0, 0.2],
  lighting: [0, 1],
  expression: [0, 1],
  occlusion: [0, 1],
  blur: [0, 8],
  noise: [0, 64],
  traitSpread: [0, 3],
};

const WHERE = 'createSyntheticFaces';

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DataError(
      `${WHERE}: ${name} must be an integer >= ${min}, but got ${value}`,
    );
  }
}

/** Fills in defaults and validates; returns a new object. */
export function resolveSyntheticFacesConfig(
  config: SyntheticFacesConfig = {},
): ResolvedSyntheticFacesConfig {
  checkKeys(WHERE, config, Object.keys(DEFAULT_SYNTHETIC_FACES_CONFIG));
  const difficulty = config.difficulty ?? 'medium';
  if (!SYNTHETIC_DIFFICULTIES.includes(difficulty)) {
    throw new DataError(
      `${WHERE}: difficulty must be one of ` +
        `${SYNTHETIC_DIFFICULTIES.join(', ')}, but got '${difficulty}'`,
    );
  }
  const resolved: ResolvedSyntheticFacesConfig = {
    ...DEFAULT_SYNTHETIC_FACES_CONFIG,
    ...SYNTHETIC_PRESETS[difficulty],
  };
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined) {
      (resolved as unknown as Record<string, unknown>)[key] = value;
    }
  }

  checkInteger('numIdentities', resolved.numIdentities, 1);
  checkInteger('imagesPerIdentity', resolved.imagesPerIdentity, 1);
  checkInteger('seed', resolved.seed, -0x80000000);
  checkInteger('size', resolved.size, 8);
  checkInteger('firstIdentity', resolved.firstIdentity, 0);
  for (const key of Object.keys(KNOB_RANGES) as (keyof SyntheticKnobs)[]) {
    const [low, high] = KNOB_RANGES[key];
    const value = resolved[key];
    if (typeof value !== 'number' || !(value >= low && value <= high)) {
      throw new DataError(
        `${WHERE}: ${key} must be a number in [${low}, ${high}], but ` +
          `got ${value}`,
      );
    }
  }
  return resolved;
}
