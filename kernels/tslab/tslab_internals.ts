/**
 * The parts of tslab the launcher builds its kernel from. They are
 * tslab's internals (dist/*.js), not its public API, so the launcher
 * works only with the one version it was written against: the version
 * is checked before anything else is loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type * as TsForTslab from '@tslab/typescript-for-tslab';
import type * as Converter from 'tslab/dist/converter';
import type * as Executor from 'tslab/dist/executor';
import type * as Jupyter from 'tslab/dist/jupyter';
import type * as Util from 'tslab/dist/util';

import { KernelError } from './errors';

/** The tslab version whose internals the launcher uses. */
export const TSLAB_VERSION = '1.0.22';

export interface Tslab {
  /** tslab's package folder. */
  dir: string;
  converter: typeof Converter;
  executor: typeof Executor;
  jupyter: typeof Jupyter;
  util: typeof Util;
  /** The TypeScript build tslab compiles cells with. */
  ts: typeof TsForTslab;
}

function load<T>(file: string): T {
  // Loaded by path: these are resolved from tslab's own folder, after
  // its version was checked.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

/** tslab's package folder as Node resolves it from `fromDir`. */
export function findTslab(fromDir: string = __dirname): string {
  try {
    const manifest = require.resolve('tslab/package.json', {
      paths: [fromDir],
    });
    return path.dirname(manifest);
  } catch {
    throw new KernelError(
      `subface kernel: the tslab package must be installed next to ` +
        `subface (npm install tslab@${TSLAB_VERSION}), but it was not ` +
        `found from ${fromDir}`,
    );
  }
}

/** Throws unless the tslab in `dir` is the pinned version. */
export function checkTslabVersion(dir: string): void {
  const manifest = path.join(dir, 'package.json');
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (version !== TSLAB_VERSION) {
    throw new KernelError(
      `subface kernel: tslab must be version ${TSLAB_VERSION} (the ` +
        `launcher uses its internals), but got ${version} in ${dir}; ` +
        `reinstall it with npm install tslab@${TSLAB_VERSION}`,
    );
  }
}

/** Finds tslab, checks its version and loads its kernel pieces. */
export function loadTslab(fromDir: string = __dirname): Tslab {
  const dir = findTslab(fromDir);
  checkTslabVersion(dir);
  const dist = (name: string) => path.join(dir, 'dist', `${name}.js`);
  const tsPath = require.resolve('@tslab/typescript-for-tslab', {
    paths: [dir],
  });
  return {
    dir,
    converter: load(dist('converter')),
    executor: load(dist('executor')),
    jupyter: load(dist('jupyter')),
    util: load(dist('util')),
    ts: load(tsPath),
  };
}
