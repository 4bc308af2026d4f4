/**
 * The subface package this kernel belongs to: its folder and version,
 * found from the compiled files' location (out/kernels/tslab/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { KernelError } from './errors';

/** The package name notebooks import the library by. */
export const PACKAGE_NAME = 'subface';

function readManifest(dir: string): { name?: string; version?: string } {
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
