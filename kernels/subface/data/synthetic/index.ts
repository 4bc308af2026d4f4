/**
 * Synthetic identities: the project's default, offline training data.
 */
export { Canvas, Lighting, Rgb } from './canvas';
export {
  DEFAULT_SYNTHETIC_FACES_CONFIG,
  ResolvedSyntheticFacesConfig,
  resolveSyntheticFacesConfig,
  SYNTHETIC_DIFFICULTIES,
  SYNTHETIC_PRESETS,
  SyntheticDifficulty,
  SyntheticFacesConfig,
  SyntheticKnobs,
} from './config';
export { contactSheet, ContactSheetOptions } from './contact_sheet';
export { createSyntheticFaces, SyntheticFaces } from './source';
export { IdentityTraits, ImageNuisances, Occluder } from './traits';
export {
  createSyntheticVerificationSet,
  SyntheticVerificationOptions,
} from './verification';
