/**
 * Lets a notebook in any folder import the kernel's own packages
 * (subface, @tensorflow/tfjs, @types/node, ...) at run time and in the
 * type-checker, while a package the notebook folder installs itself
 * still wins.
 *
 * Run time: the kernel's node_modules folders go on NODE_PATH, which
 * Node searches after the usual node_modules lookup, and `subface` itself
 * resolves to the package's "." export, the library (in a checkout of
 * this repository, or in the VSIX, it is not inside any node_modules).
 *
 * Type-check: tslab compiles cells with TypeScript's Node10 resolution
 * from the notebook folder and ignores NODE_PATH. Its compiler host reads
 * the file system through `ts.sys` at call time, so `ts.sys` is wrapped:
 * a path under `<notebook>/node_modules` that does not exist there is
 * read from the kernel's folders instead, and listings of such folders
 * show both (so `@types/*` packages of both are found).
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

import type * as TsForTslab from '@tslab/typescript-for-tslab';

import { libraryEntry, PACKAGE_NAME } from './package_root';

export interface KernelModules {
  /** The subface package root (the folder of its package.json). */
  packageRoot: string;
  /** node_modules folders holding the kernel's packages, first wins. */
  moduleDirs: string[];
}

/** The folders the kernel's packages are installed in. */
export function kernelModules(packageRoot: string): KernelModules {
  const dirs = [path.join(packageRoot, 'node_modules')];
  // Installed as a dependency, its own dependencies are mostly hoisted
  // into the node_modules folder that holds it.
  const parent = path.dirname(packageRoot);
  if (path.basename(parent) === 'node_modules') dirs.push(parent);
  return { packageRoot, moduleDirs: dirs.filter((d) => fs.existsSync(d)) };
}

/** `subface` or `subface/...` mapped into the package root; else null. */
function selfPath(request: string, packageRoot: string): string | null {
  if (request === PACKAGE_NAME) return packageRoot;
  const prefix = `${PACKAGE_NAME}/`;
  if (!request.startsWith(prefix)) return null;
  return path.join(packageRoot, request.slice(prefix.length));
}

type ResolveFilename = (
  request: string,
  parent: unknown,
  isMain: boolean,
  options?: unknown,
) => string;

/** Run-time resolution from any folder (see the file comment). */
export function installRuntimeResolution(modules: KernelModules): void {
  const current = process.env.NODE_PATH;
  process.env.NODE_PATH = [...modules.moduleDirs, current]
    .filter(Boolean)
    .join(path.delimiter);
  const internals = Module as unknown as {
    _initPaths(): void;
    _resolveFilename: ResolveFilename;
  };
  internals._initPaths();

  // `subface` itself is the library entry (the package's main is the
  // VS Code extension); `subface/...` are files under the package root.
  const library = libraryEntry(modules.packageRoot);
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolve.call(this, request, parent, isMain, options);
    } catch (error) {
      const self =
        request === PACKAGE_NAME
          ? library
          : selfPath(request, modules.packageRoot);
      const code = (error as { code?: string }).code;
      if (self === null || code !== 'MODULE_NOT_FOUND') throw error;
      return resolve.call(this, self, parent, isMain, options);
    }
  };
}

/** `file` relative to `dir` when inside it (or `dir` itself); else null. */
function relativeInside(dir: string, file: string): string | null {
  const rel = path.relative(dir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel;
}

/** Where the kernel keeps what `rel` names under a node_modules folder. */
function kernelCandidates(rel: string, modules: KernelModules): string[] {
  const self = selfPath(rel.split(path.sep).join('/'), modules.packageRoot);
  const found = modules.moduleDirs.map((dir) => path.join(dir, rel));
  return self === null ? found : [self, ...found];
}

/**
 * Maps paths under `<cwd>/node_modules` that do not exist to where the
 * kernel has them; any other path is returned unchanged.
 */
export function createPathMapper(
  cwd: string,
  modules: KernelModules,
): (file: string) => string {
  const localDir = path.join(cwd, 'node_modules');
  return (file) => {
    const rel = relativeInside(localDir, file);
    if (rel === null || rel === '' || fs.existsSync(file)) return file;
    const candidates = kernelCandidates(rel, modules);
    return candidates.find((c) => fs.existsSync(c)) ?? file;
  };
}

/** The file-system calls of ts.sys that take a path first. */
const PATH_CALLS = [
  'fileExists',
  'readFile',
  'directoryExists',
  'realpath',
  'getModifiedTime',
  'readDirectory',
  'watchFile',
] as const;

type PathCall = (file: string, ...rest: unknown[]) => unknown;

/** Type-check resolution from `cwd` (see the file comment). */
export function installTypeOverlay(
  ts: typeof TsForTslab,
  cwd: string,
  modules: KernelModules,
): void {
  const map = createPathMapper(cwd, modules);
  const sys = ts.sys as unknown as Record<string, PathCall | undefined>;
  for (const name of PATH_CALLS) {
    const original = sys[name];
    if (original === undefined) continue;
    sys[name] = (file, ...rest) =>
      original.call(
        ts.sys,
        typeof file === 'string' ? map(file) : file,
        ...rest,
      );
  }

  // Listings under <cwd>/node_modules show the kernel's entries too.
  const localDir = path.join(cwd, 'node_modules');
  const getDirectories = ts.sys.getDirectories.bind(ts.sys);
  ts.sys.getDirectories = (dir) => {
    const rel = relativeInside(localDir, dir);
    const dirs =
      rel === null ? [dir] : [dir, ...kernelCandidates(rel, modules)];
    const names = dirs
      .filter((d) => fs.existsSync(d))
      .flatMap((d) => getDirectories(d));
    return [...new Set(names)];
  };
}
