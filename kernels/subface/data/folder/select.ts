/**
 * From a folder listing to the identities and images a source serves:
 * the allow-list, the exclusion list, the manifest, the minimum image
 * count and the label map, applied in that order.
 */
import { DataError } from '../types';
import { checkLabelMap, compareBytes, listNames } from './label_map';
import { ResolvedImageFolderOptions } from './options';
import { normaliseRelativePath } from './relative_path';
import { FolderScan, IMAGE_EXTENSIONS, ScannedIdentity } from './scan';

export interface FolderSelection {
  /** In label order: identities[label]. */
  identities: ScannedIdentity[];
  emptyIdentities: string[];
  droppedIdentities: { identity: string; numImages: number }[];
  excludedIdentities: string[];
}

function applyManifest(
  identities: ScannedIdentity[],
  manifest: NonNullable<ResolvedImageFolderOptions['manifest']>,
  allFiles: ReadonlySet<string>,
  where: string,
): ScannedIdentity[] {
  let keep: (file: string) => boolean;
  if (typeof manifest === 'function') {
    keep = manifest;
  } else {
    const wanted = new Set(
      manifest.map((p, i) => normaliseRelativePath(p, `${where}[${i}]`)),
    );
    // Paths in identities left out by the allow-list are fine; paths
    // that name no image at all point at a wrong root or manifest.
    const missing = [...wanted].filter((file) => !allFiles.has(file));
    if (missing.length > 0) {
      throw new DataError(
        `${where}: every manifest path must be an image in an identity ` +
          `folder, but got ${missing.length} that are not ` +
          `(${listNames(missing)})`,
      );
    }
    keep = (file) => wanted.has(file);
  }
  return identities.map(({ name, files }) => ({
    name,
    files: files.filter((file) => keep(file)),
  }));
}

/**
 * Applies the options to a listing. Throws a DataError when nothing is
 * left, when named identities or manifest paths do not exist, or when the
 * label map does not match.
 */
export function selectIdentities(
  scan: FolderScan,
  options: ResolvedImageFolderOptions,
  root: string,
): FolderSelection {
  const where = `openImageFolder(${root})`;
  if (scan.rootImages.length > 0) {
    throw new DataError(
      `${where}: images must be inside identity folders, but got ` +
        `${scan.rootImages.length} in the root (${listNames(scan.rootImages)})`,
    );
  }
  if (scan.identities.length === 0) {
    throw new DataError(
      `${where}: root must hold one sub-folder per identity, but got none`,
    );
  }
  const emptyIdentities = scan.identities
    .filter((identity) => identity.files.length === 0)
    .map((identity) => identity.name);
  if (emptyIdentities.length === scan.identities.length) {
    throw new DataError(
      `${where}: identity folders must hold images (` +
        `${IMAGE_EXTENSIONS.join(' ')}), but all ` +
        `${emptyIdentities.length} are empty (${listNames(emptyIdentities)})`,
    );
  }

  let selected = scan.identities.filter((i) => i.files.length > 0);
  const excluded: string[] = [];
  if (options.identities !== null) {
    const allowed = new Set(options.identities);
    const known = new Set(scan.identities.map((identity) => identity.name));
    const unknown = [...allowed].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new DataError(
        `${where}: identities must name folders under the root, but got ` +
          `${unknown.length} that do not exist (${listNames(unknown)})`,
      );
    }
    excluded.push(...selected.filter((i) => !allowed.has(i.name)).map(nameOf));
    selected = selected.filter((identity) => allowed.has(identity.name));
  }
  if (options.excludeIdentities.length > 0) {
    const denied = new Set(options.excludeIdentities);
    const before = selected.length;
    excluded.push(...selected.filter((i) => denied.has(i.name)).map(nameOf));
    selected = selected.filter((identity) => !denied.has(identity.name));
    if (selected.length === 0) {
      throw new DataError(
        `${where}: at least one identity must remain after ` +
          `excludeIdentities (${denied.size} names), but got none: it ` +
          `removed all ${before} identities with images`,
      );
    }
  }
  if (options.manifest !== null) {
    const allFiles = new Set(scan.identities.flatMap((i) => i.files));
    selected = applyManifest(
      selected,
      options.manifest,
      allFiles,
      `${where}: manifest`,
    );
    excluded.push(...selected.filter((i) => i.files.length === 0).map(nameOf));
    selected = selected.filter((identity) => identity.files.length > 0);
  }

  const minimum = options.minImagesPerIdentity;
  const droppedIdentities = selected
    .filter((identity) => identity.files.length < minimum)
    .map((i) => ({ identity: i.name, numImages: i.files.length }));
  selected = selected.filter((identity) => identity.files.length >= minimum);
  if (selected.length === 0) {
    throw new DataError(
      `${where}: at least one identity must remain after the identities, ` +
        `excludeIdentities, ` +
        `manifest and minImagesPerIdentity (${minimum}) filters, but got ` +
        `none (${droppedIdentities.length} had too few images)`,
    );
  }

  if (options.labelMap !== null) {
    checkLabelMap(options.labelMap, selected.map(nameOf), where);
    const order = new Map(options.labelMap.identities.map((n, i) => [n, i]));
    selected.sort(
      (a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0),
    );
  }
  excluded.sort(compareBytes);
  return {
    identities: selected,
    emptyIdentities,
    droppedIdentities,
    excludedIdentities: excluded,
  };
}

function nameOf(identity: ScannedIdentity): string {
  return identity.name;
}
