/**
 * The input pipeline: batches, identity splits and verification pairs.
 */
export { Batch, BatchStream, createBatches, writeImage } from './batches';
export { withCenterCrop } from './center_crop';
export { EpochPlan, epochPlan } from './epoch_plan';
export {
  BatchOptions,
  BatchState,
  DEFAULT_BATCH_OPTIONS,
  ResolvedBatchOptions,
  resolveBatchOptions,
} from './options';
export {
  IdentitySplit,
  splitByIdentity,
  SplitOptions,
  subsetSource,
} from './split';
export {
  makeVerificationPairs,
  PairedVerificationSet,
  PairOptions,
} from './verification_pairs';
