/**
 * Verification pairs of synthetic people never seen in training: the
 * held-out identities come after the training ones in the same seed's
 * stream of people.
 */
import {
  makeVerificationPairs,
  PairedVerificationSet,
} from '../pipeline/verification_pairs';
import { resolveSyntheticFacesConfig, SyntheticFacesConfig } from './config';
import { createSyntheticFaces } from './source';

export interface SyntheticVerificationOptions {
  /** Held-out people. Default 50. */
  numIdentities?: number;
  /** Images per held-out person. Default 10. */
  imagesPerIdentity?: number;
  /** Pairs. Default 600. */
  numPairs?: number;
  /** Share of same-person pairs. Default 0.5. */
  sameFraction?: number;
  /** Seed of the pair draw. Default: the faces' seed. */
  seed?: number;
  /**
   * First held-out person. Default: right after the training set's
   * (firstIdentity + numIdentities), so no person is on both sides.
   */
  firstIdentity?: number;
}

/**
 * A verification set over people held out from the training set made by
 * `createSyntheticFaces(trainConfig)`: same seed, same difficulty, the
 * next people in the stream.
 */
export function createSyntheticVerificationSet(
  trainConfig: SyntheticFacesConfig = {},
  options: SyntheticVerificationOptions = {},
): PairedVerificationSet {
  const train = resolveSyntheticFacesConfig(trainConfig);
  const faces = createSyntheticFaces({
    ...trainConfig,
    numIdentities: options.numIdentities ?? 50,
    imagesPerIdentity: options.imagesPerIdentity ?? 10,
    firstIdentity:
      options.firstIdentity ?? train.firstIdentity + train.numIdentities,
  });
  return makeVerificationPairs(faces, {
    numPairs: options.numPairs ?? 600,
    sameFraction: options.sameFraction ?? 0.5,
    seed: options.seed ?? train.seed,
    name: `synthetic verification (${faces.description})`,
    hashSize: train.size,
  });
}
