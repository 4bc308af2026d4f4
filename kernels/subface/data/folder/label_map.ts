/**
 * The identity-to-label map of an image folder: label i is identities[i].
 * Saved with a run so that a checkpoint's class centres keep meaning the
 * same people when the folder is opened again, on any OS.
 */
import { DataError } from '../types';

/** JSON form of a label map. */
export interface LabelMap {
  version: 1;
  /** Identity names; the index is the label. */
  identities: string[];
}

/** How many names an error message lists before "and N more". */
const NAMES_IN_MESSAGE = 5;

/**
 * Orders strings by their UTF-8 bytes, as `sort` in the C locale and
 * Python's `sorted` do. It does not depend on the locale or the OS, so
 * 's1' < 's10' < 's2' (not a natural number order).
 */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `names` listed for a message: the first few, then a count. */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_IN_MESSAGE).map((n) => `'${n}'`);
  const more = names.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/**
 * Checks a parsed JSON value (e.g. from a checkpoint) and returns it as a
 * new `LabelMap`.
 */
export function parseLabelMap(value: unknown, where = 'labelMap'): LabelMap {
  const map = value as Partial<LabelMap> | null;
  if (typeof map !== 'object' || map === null || map.version !== 1) {
    throw new DataError(
      `${where}: label map must be an object with version 1, but got ` +
        JSON.stringify(map?.version ?? map),
    );
  }
  const identities = map.identities;
  if (
    !Array.isArray(identities) ||
    identities.some((name) => typeof name !== 'string' || name === '')
  ) {
    throw new DataError(
      `${where}: identities must be an array of non-empty strings, but got ` +
        JSON.stringify(identities).slice(0, 200),
    );
  }
  const seen = new Set<string>();
  const repeated = identities.filter((n) => seen.size === seen.add(n).size);
  if (repeated.length > 0) {
    throw new DataError(
      `${where}: identities must be distinct, but got repeats of ` +
        listNames(repeated),
    );
  }
  return { version: 1, identities: [...identities] };
}

/**
 * Checks that `map` names exactly the identities found in a folder; the
 * error lists what the folder lacks and what the map lacks.
 */
export function checkLabelMap(
  map: LabelMap,
  found: readonly string[],
  where: string,
): void {
  const inFolder = new Set(found);
  const inMap = new Set(map.identities);
  const missing = map.identities.filter((name) => !inFolder.has(name));
  const extra = found.filter((name) => !inMap.has(name));
  if (missing.length === 0 && extra.length === 0) return;

  const parts: string[] = [];
  if (missing.length > 0) {
    parts.push(
      `${missing.length} in the map but not in the folder ` +
        `(${listNames(missing)})`,
    );
  }
  if (extra.length > 0) {
    parts.push(
      `${extra.length} in the folder but not in the map ` +
        `(${listNames(extra)})`,
    );
  }
  throw new DataError(
    `${where}: identities must match the given label map ` +
      `(${map.identities.length} names), but got ${parts.join('; ')}`,
  );
}
