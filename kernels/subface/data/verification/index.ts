/**
 * Verification data: InsightFace `.bin` packs (read through a safe
 * unpickler, and written), and LFW pair lists resolved to image files.
 */
export {
  openVerificationPack,
  PACK_IMAGE_SIZE,
  VerificationPack,
  VerificationPackOptions,
} from './bin_pack';
export {
  checkImageIndex,
  EncodedVerificationSet,
  hasEncodedImages,
} from './encoded_set';
export { PackContent, PackImageForm, readPackContent } from './pack_content';
export {
  DEFAULT_WRITE_PACK_OPTIONS,
  resolveWritePackOptions,
  ResolvedWritePackOptions,
  WritePackOptions,
} from './pack_options';
export {
  PackPair,
  writeVerificationPack,
  WritePackResult,
} from './pack_writer';
export { PairsList, PairsListEntry, parsePairsList } from './pairs_list';
export { openPairsList, PairsListOptions, PairsListSet } from './pairs_set';
export { writeBinsPickle } from './pickle_writer';
export {
  ALLOWED_GLOBALS,
  describeValue,
  PickleCall,
  PickleGlobal,
  PickleTuple,
  PickleValue,
  unpickle,
  UnpickleResult,
} from './unpickle';
