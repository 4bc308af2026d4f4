/**
 * Face data in the forms people keep it: identity image folders,
 * InsightFace RecordIO packs, `.bin` verification packs, LFW pair lists,
 * and the project's own synthetic identities; plus the input pipeline that
 * turns any of them into training batches.
 */
export * from './types';
export { decodeImage, decodeImageNative, decodeNetpbm } from './decode';
export {
  encodedKind,
  encodedSize,
  EncodedKind,
  jpegSize,
} from './encoded_image';
export * from './folder';
export * from './align';
export * from './recordio';
export * from './verification';
export * from './synthetic';
export * from './pipeline';
