/**
 * Where tests find the repository and the shared face data, from the
 * compiled test files in out/test/... as well as from the sources.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found');
    dir = parent;
  }
  return dir;
}

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = findRepoRoot();

/** `../shared/data` beside the repository: ORL, LFW subset, LFW lists. */
export const SHARED_DATA = path.join(REPO_ROOT, '..', 'shared', 'data');

export const ORL_DIR = path.join(SHARED_DATA, 'orl-faces');
export const LFW_DIR = path.join(SHARED_DATA, 'lfw-gray-subset');
export const LFW_PAIRS = path.join(SHARED_DATA, 'lfw-protocol', 'pairs.txt');
