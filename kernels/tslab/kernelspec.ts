/**
 * The SubFace kernelspec: install, uninstall, list. The files are
 * written directly (kernel.json and the logos), so installing needs
 * neither tslab on PATH nor Jupyter, IPython or (except --sys-prefix)
 * Python.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { KernelError } from './errors';
import {
  DEFAULT_PYTHON,
  Env,
  prefixDataDir,
  pythonPrefix,
  searchDataDirs,
  userDataDir,
} from './jupyter_paths';
import { findPackageRoot, packageVersion } from './package_root';

export const DEFAULT_KERNEL_NAME = 'subface';
export const DISPLAY_NAME = 'SubFace (TypeScript)';
export const LOGO_FILES = ['logo-64x64.png', 'logo-32x32.png'];

/** The launcher, compiled beside this file. */
export const LAUNCHER = path.join(__dirname, 'launcher.js');

/** Where a kernelspec goes. */
export type SpecLocation =
  | { kind: 'user' }
  | { kind: 'sys-prefix'; python?: string }
  | { kind: 'prefix'; dir: string };

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'signal';
  metadata: { subface: { version: string } };
}

/** Jupyter's rule for kernel names. */
const VALID_NAME = /^[a-z0-9._-]+$/i;

function checkName(name: string): void {
  if (!VALID_NAME.test(name)) {
    throw new KernelError(
      `subface kernel: --name must use only letters, digits, '.', '_' ` +
        `and '-', but got '${name}'`,
    );
  }
}

function checkNode(node: string): void {
  if (!path.isAbsolute(node)) {
    throw new KernelError(
      `subface kernel install: --node must be an absolute path (Jupyter ` +
        `and VS Code may not share your PATH), but got '${node}'`,
    );
  }
  try {
    fs.accessSync(node, fs.constants.X_OK);
  } catch {
    throw new KernelError(
      `subface kernel install: --node must be an executable file, but ` +
        `'${node}' is not`,
    );
  }
}

/** The folder holding kernelspec folders at `location`. */
export function kernelsDir(location: SpecLocation, env: Env = process.env) {
  if (location.kind === 'user') return path.join(userDataDir(env), 'kernels');
  const prefix =
    location.kind === 'prefix'
      ? location.dir
      : pythonPrefix(location.python ?? DEFAULT_PYTHON);
  return path.join(prefixDataDir(prefix), 'kernels');
}

export function buildKernelSpec(node: string, launcher = LAUNCHER): KernelSpec {
  return {
    argv: [node, launcher, '--config-path', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { subface: { version: packageVersion() } },
  };
}

/** Reads a kernel.json; null when the folder has none or it is broken. */
export function readSpec(dir: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Whether a kernel.json is one of ours. */
export function isSubfaceSpec(spec: Record<string, unknown> | null): boolean {
  const metadata = spec?.metadata as { subface?: unknown } | undefined;
  return metadata?.subface !== undefined;
}

export interface InstallOptions {
  location: SpecLocation;
  name?: string;
  /** Absolute path of node; default: the node running this. */
  node?: string;
  env?: Env;
}

/** Writes the kernelspec; returns its folder and contents. */
export function installKernelSpec(options: InstallOptions) {
  const name = options.name ?? DEFAULT_KERNEL_NAME;
  const node = options.node ?? process.execPath;
  checkName(name);
  checkNode(node);
  if (!fs.existsSync(LAUNCHER)) {
    throw new KernelError(
      `subface kernel install: the launcher ${LAUNCHER} must exist; ` +
        `build the package first (npm run build)`,
    );
  }
  const dir = path.join(kernelsDir(options.location, options.env), name);
  const existing = readSpec(dir);
  if (existing !== null && !isSubfaceSpec(existing)) {
    throw new KernelError(
      `subface kernel install: ${dir} already holds another kernel; ` +
        `choose another --name or remove it`,
    );
  }

  const spec = buildKernelSpec(node);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'kernel.json'),
    `${JSON.stringify(spec, null, 2)}\n`,
  );
  const logos = path.join(findPackageRoot(), 'kernels', 'tslab');
  for (const logo of LOGO_FILES) {
    fs.copyFileSync(path.join(logos, logo), path.join(dir, logo));
  }
  return { name, dir, spec };
}

export interface FoundKernel {
  name: string;
  dir: string;
  displayName: string;
  argv: string[];
  /** What would stop it from starting (a moved node or launcher). */
  problems: string[];
}

function describeFound(dir: string, spec: Record<string, unknown>) {
  const argv = Array.isArray(spec.argv) ? spec.argv.map(String) : [];
  const problems = argv
    .slice(0, 2)
    .filter((file) => !fs.existsSync(file))
    .map((file) => `${file} is missing`);
  return {
    name: path.basename(dir),
    dir,
    displayName: String(spec.display_name ?? ''),
    argv,
    problems,
  };
}

/** Every SubFace kernelspec in Jupyter's search path, in its order. */
export function listKernelSpecs(env: Env = process.env): FoundKernel[] {
  const found: FoundKernel[] = [];
  for (const dataDir of searchDataDirs(env)) {
    const kernels = path.join(dataDir, 'kernels');
    if (!fs.existsSync(kernels)) continue;
    for (const entry of fs.readdirSync(kernels).sort()) {
      const dir = path.join(kernels, entry);
      const spec = readSpec(dir);
      if (spec !== null && isSubfaceSpec(spec)) {
        found.push(describeFound(dir, spec));
      }
    }
  }
  return found;
}

export interface UninstallOptions {
  /** Where to remove it from; default: wherever it is found. */
  location?: SpecLocation;
  name?: string;
  env?: Env;
}

/** Removes SubFace kernelspecs named `name`; returns their folders. */
export function uninstallKernelSpec(options: UninstallOptions = {}): string[] {
  const name = options.name ?? DEFAULT_KERNEL_NAME;
  checkName(name);
  const dirs =
    options.location === undefined
      ? listKernelSpecs(options.env)
          .filter((kernel) => kernel.name === name)
          .map((kernel) => kernel.dir)
      : [path.join(kernelsDir(options.location, options.env), name)];
  const ours = dirs.filter((dir) => isSubfaceSpec(readSpec(dir)));
  if (ours.length === 0) {
    const where = options.location === undefined ? "Jupyter's path" : dirs[0];
    throw new KernelError(
      `subface kernel uninstall: no SubFace kernel named '${name}' in ${where}`,
    );
  }
  for (const dir of ours) fs.rmSync(dir, { recursive: true, force: true });
  return ours;
}
