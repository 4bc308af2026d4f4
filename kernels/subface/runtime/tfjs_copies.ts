/**
 * Detects more than one copy of `@tensorflow/tfjs-core` in the process.
 *
 * Two copies each keep their own idea of the active backend and kernel
 * registry: a native backend registered with one copy is invisible to ops
 * called through the other, and training silently runs on the slow path
 * ("backend already registered" warnings are the only hint). We refuse to
 * start instead.
 */
import * as fs from 'fs';
import * as path from 'path';

import { RuntimeError } from './errors';

/** One loaded copy of tfjs-core: its package folder and version. */
export interface TfjsCoreCopy {
  packageDir: string;
  version: string;
}

const CORE_DIR = path.join('node_modules', '@tensorflow', 'tfjs-core');

function packageVersion(packageDir: string): string {
  try {
    const manifest = fs.readFileSync(
      path.join(packageDir, 'package.json'),
      'utf8',
    );
    return String(JSON.parse(manifest).version);
  } catch {
    return 'unknown';
  }
}

/**
 * The distinct tfjs-core package folders whose files Node has loaded,
 * read from `require.cache`.
 *
 * NOTE: modules loaded through native ESM `import` do not appear in
 * `require.cache`; the library itself and tfjs-node load tfjs-core with
 * `require`, which is the case that matters here.
 */
export function loadedTfjsCoreCopies(
  loadedFiles: Iterable<string> = Object.keys(require.cache),
): TfjsCoreCopy[] {
  const dirs = new Set<string>();
  for (const file of loadedFiles) {
    const at = file.lastIndexOf(CORE_DIR + path.sep);
    if (at >= 0) dirs.add(file.slice(0, at + CORE_DIR.length));
  }
  return [...dirs]
    .sort()
    .map((packageDir) => ({ packageDir, version: packageVersion(packageDir) }));
}

/** Throws when more than one copy of tfjs-core is loaded. */
export function assertSingleTfjsCore(
  loadedFiles?: Iterable<string>,
): TfjsCoreCopy {
  const copies = loadedTfjsCoreCopies(loadedFiles);
  if (copies.length > 1) {
    const list = copies
      .map((copy) => `  ${copy.packageDir} (version ${copy.version})`)
      .join('\n');
    throw new RuntimeError(
      'subface runtime: exactly one copy of @tensorflow/tfjs-core must be ' +
        `loaded, but got ${copies.length}:\n${list}\n` +
        'Install matching versions so npm can share one copy (for example ' +
        '`npm dedupe`), and import tfjs only through one package.',
    );
  }
  return copies[0];
}
