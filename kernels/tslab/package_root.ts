/**
 * The subface package this kernel belongs to: its folder and version,
 * found from the compiled files' location (out/kernels/tslab/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { KernelError } from './errors';

/** The package name notebooks import the library by. */
export const PACKAGE_NAME = 'subface';

interface Manifest {
  name?: string;
  version?: string;
  main?: string;
  exports?: Record<string, string | Record<string, string>>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** The folder of subface's package.json, at or above `dir`. */
export function findPackageRoot(dir: string = __dirname): string {
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = path.join(current, 'package.json');
    if (
      fs.existsSync(manifest) &&
      readManifest(current).name === PACKAGE_NAME
    ) {
      return current;
    }
    if (path.dirname(current) === current) {
      throw new KernelError(
        `subface kernel: the subface package.json must be above ${dir}, ` +
          `but none was found`,
      );
    }
  }
}

/** The version in the package's package.json. */
export function packageVersion(root: string = findPackageRoot()): string {
  return readManifest(root).version ?? 'unknown';
}

/**
 * The file `require('subface')` loads: the package's "." export (the
 * library; the package's `main` is the VS Code extension), else `main`.
 */
export function libraryEntry(root: string): string {
  const manifest = readManifest(root);
  const dot = manifest.exports?.['.'];
  const entry = typeof dot === 'string' ? dot : (dot?.default ?? dot?.require);
  return path.join(root, entry ?? manifest.main ?? 'index.js');
}
