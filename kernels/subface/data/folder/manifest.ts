/**
 * Manifests: lists of image paths that select part of a folder without
 * copying files, e.g. LFW's `subsets.tsv` rows with `min20_identity = 1`.
 */
import { promises as fs } from 'node:fs';

import { DataError } from '../types';

/** Which rows of a TSV manifest to keep, and where the path is. */
export interface ManifestTsvOptions {
  /** The column holding the path relative to the folder. Default 'path'. */
  pathColumn?: string;
  /** Keep rows whose columns equal these values. Default: every row. */
  where?: Readonly<Record<string, string>>;
}

/**
 * Parses a tab-separated manifest with a header row and returns the
 * selected paths, in file order. `file` names it in error messages.
 */
export function parseManifestTsv(
  text: string,
  options: ManifestTsvOptions,
  file: string,
): string[] {
  const { pathColumn = 'path', where = {} } = options;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0].split('\t').map((name) => name.trim());

  const columnOf = (name: string): number => {
    const column = header.indexOf(name);
    if (column < 0) {
      throw new DataError(
        `${file}:1: header must have a column '${name}', but got ` +
          header.join(', '),
      );
    }
    return column;
  };
  const pathIndex = columnOf(pathColumn);
  const filters = Object.entries(where).map(
    ([name, value]) => [columnOf(name), value] as const,
  );

  const paths: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const fields = lines[i].split('\t').map((field) => field.trim());
    if (fields.length !== header.length) {
      throw new DataError(
        `${file}:${i + 1}: a row must have ${header.length} tab-separated ` +
          `fields like the header, but got ${fields.length}`,
      );
    }
    if (filters.every(([column, value]) => fields[column] === value)) {
      paths.push(fields[pathIndex]);
    }
  }
  return paths;
}

/** Reads a TSV manifest file; see `parseManifestTsv`. */
export async function readManifestTsv(
  file: string,
  options: ManifestTsvOptions = {},
): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(
      `${file}: manifest must be a readable file, but got ${message}`,
    );
  }
  return parseManifestTsv(text, options, file);
}
