/** Identity-per-folder image sources and their label maps. */
export { ImageFolderSource, openImageFolder } from './image_folder';
export { checkLabelMap, compareBytes, parseLabelMap } from './label_map';
export type { LabelMap } from './label_map';
export { parseManifestTsv, readManifestTsv } from './manifest';
export type { ManifestTsvOptions } from './manifest';
export {
  DEFAULT_IMAGE_FOLDER_OPTIONS,
  resolveImageFolderOptions,
} from './options';
export type {
  FolderAlignOptions,
  ImageFolderOptions,
  ImageFolderReport,
  ResolvedImageFolderOptions,
  SkippedFile,
  UnreadablePolicy,
} from './options';
export { normaliseRelativePath } from './relative_path';
export { IMAGE_EXTENSIONS, isImageFile, scanImageFolder } from './scan';
export type { FolderScan, ScannedIdentity } from './scan';
