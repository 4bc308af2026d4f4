/**
 * InsightFace RecordIO packs: the dmlc framing, MXNet's record header, the
 * InsightFace layout as a LabelledSource, and the pack writer.
 */
export {
  frameRecord,
  MAX_RECORD_BYTES,
  PartFlag,
  RECORDIO_MAGIC,
  splitPayload,
} from './framing';
export { formatIdxLine, parseIdx, RecordIndex } from './idx';
export {
  IR_HEADER_BYTES,
  IRHeaderFields,
  IRRecord,
  packHeader,
  unpackHeader,
} from './ir_header';
export { IRHeaderOnly, RecordIOReader } from './reader';
export { RecordIOWriter } from './writer';
export {
  formatProperty,
  parseProperty,
  propertyPathFor,
  readProperty,
  RecProperty,
} from './property';
export {
  FLOAT32_EXACT_LIMIT,
  InsightFaceLayout,
  readLayout,
} from './insightface_layout';
export {
  InsightFaceRecPaths,
  InsightFaceRecSource,
  openInsightFaceRec,
  packPaths,
} from './insightface_source';
export {
  DEFAULT_INSIGHTFACE_WRITE_CONFIG,
  InsightFaceWriteConfig,
  InsightFaceWriteResult,
  RecImageItem,
  writeInsightFaceRec,
} from './insightface_writer';
export { FolderImages, listIdentityFolders, packFolder } from './pack_folder';
