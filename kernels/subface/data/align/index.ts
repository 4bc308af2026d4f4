/** 5-point face alignment to the ArcFace template. */
export {
  applySimilarity,
  estimateSimilarity,
  invertSimilarity,
  similarityMatrix,
  similarityResidual,
} from './similarity';
export type { Point, SimilarityTransform } from './similarity';
export {
  ARCFACE_TEMPLATE_112,
  ARCFACE_TEMPLATE_SIZE,
  arcfaceTemplate,
} from './template';
export { alignFace, NUM_LANDMARKS, warpSimilarity } from './warp';
export type { AlignSize } from './warp';
export {
  LANDMARKS_CSV_HEADER,
  parseLandmarksCsv,
  readLandmarksCsv,
} from './landmarks_csv';
