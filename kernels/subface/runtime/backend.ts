/**
 * Chooses the tfjs backend: CUDA through `@tensorflow/tfjs-node-gpu`, then
 * libtensorflow on the CPU through `@tensorflow/tfjs-node`, then wasm
 * (XNNPACK, SIMD), then the plain JavaScript `cpu` backend.
 *
 * The native packages are optional dependencies: their install downloads
 * libtensorflow, which fails without internet, so they are often absent.
 * Whatever is chosen, the result says which backend and device run and why
 * each faster one was skipped, so nobody trains on the slow path unawares.
 */
import * as fs from 'fs';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { RuntimeError } from './errors';
import {
  CUDA_REQUIREMENT,
  GPU_PACKAGE,
  NATIVE_PACKAGE,
} from './native_packages';
import { assertSingleTfjsCore } from './tfjs_copies';

/** The backends in order of preference, fastest first. */
export const BACKEND_CHOICES = ['cuda', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface RuntimeOptions {
  /**
   * 'auto' (the default) tries every backend in order; a name forces that
   * backend and fails if it cannot run. When this is 'auto', the
   * environment variable SUBFACE_BACKEND may force one instead.
   */
  backend?: BackendChoice | 'auto';
  /** Environment to read SUBFACE_BACKEND from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /**
   * Extra folders to look for the native packages in, before the
   * library's own node_modules (packages installed outside the project).
   * Default: none. The VS Code extension's kernels get such a folder
   * through NODE_PATH instead.
   */
  nativeSearchPaths?: string[];
  /**
   * Loads a package by name from the given folders. Default: Node's
   * `require`. Tests replace it to simulate native packages that cannot
   * be installed on the test machine (CUDA).
   */
  loadPackage?: (name: string, searchPaths: string[]) => unknown;
}

/** A faster backend that was not used, and why. */
export interface SkippedBackend {
  choice: BackendChoice;
  reason: string;
}

export interface RuntimeInfo {
  /** Which of BACKEND_CHOICES runs. */
  choice: BackendChoice;
  /** tfjs's own backend name, as `tf.getBackend()` returns it. */
  backend: string;
  /** The device in words, e.g. 'CPU, wasm XNNPACK with SIMD, 1 thread'. */
  device: string;
  /** True when the choice was forced by an option or SUBFACE_BACKEND. */
  forced: boolean;
  /** Every faster backend that was skipped, with the reason. */
  skipped: SkippedBackend[];
  /** The tfjs-core version in use. */
  tfjsVersion: string;
  /** The single tfjs-core package folder loaded in this process. */
  tfjsCoreDir: string;
  /** True when the fast wasm gradients are installed for this backend. */
  fastGradients: boolean;
}

interface Attempt {
  ok: boolean;
  device?: string;
  reason?: string;
}

function defaultLoadPackage(name: string, searchPaths: string[]): unknown {
  const resolved = require.resolve(name, {
    paths: [...searchPaths, __dirname],
  });
  // A plain require: the native packages are CommonJS and optional.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved);
}

function isModuleNotFound(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`'${name}'`)
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/** Reads the forced choice from options or SUBFACE_BACKEND, if any. */
export function resolveBackendChoice(
  options: RuntimeOptions = {},
): BackendChoice | 'auto' {
  const env = options.env ?? process.env;
  const requested = options.backend ?? 'auto';
  const fromEnv = env.SUBFACE_BACKEND?.trim();
  const value = requested === 'auto' && fromEnv ? fromEnv : requested;
  const source =
    requested === 'auto' && fromEnv ? 'SUBFACE_BACKEND' : 'backend';
  const valid: readonly string[] = ['auto', ...BACKEND_CHOICES];
  if (!valid.includes(value)) {
    throw new RuntimeError(
      `subface runtime: ${source} must be one of ${valid.join(', ')}, ` +
        `but got '${value}'`,
    );
  }
  return value as BackendChoice | 'auto';
}

class BackendChooser {
  private nativeLoaded: string | null = null;
  private readonly searchPaths: string[];
  private readonly loadPackage: (name: string, paths: string[]) => unknown;

  constructor(options: RuntimeOptions) {
    this.searchPaths = options.nativeSearchPaths ?? [];
    this.loadPackage = options.loadPackage ?? defaultLoadPackage;
  }

  async attempt(choice: BackendChoice): Promise<Attempt> {
    switch (choice) {
      case 'cuda':
        return this.tryCuda();
      case 'tensorflow':
        return this.tryNative();
      case 'wasm':
        return this.tryWasm();
      case 'cpu':
        return this.tryCpu();
    }
  }

  /** Loads a native package, which registers tfjs's 'tensorflow' backend. */
  private loadNative(name: string): Attempt {
    try {
      this.loadPackage(name, this.searchPaths);
    } catch (error) {
      if (isModuleNotFound(error, name)) {
        return {
          ok: false,
          reason:
            `${name} is not installed (its install downloads ` +
            'libtensorflow, which needs internet access)',
        };
      }
      const hint =
        name === GPU_PACKAGE ? `; it expects ${CUDA_REQUIREMENT}` : '';
      return {
        ok: false,
        reason: `${name} failed to load: ${firstLine(error)}${hint}`,
      };
    }
    assertSingleTfjsCore();
    this.nativeLoaded = name;
    return { ok: true };
  }

  private async activateNative(): Promise<Attempt> {
    const ok = await tf.setBackend('tensorflow');
    if (!ok) {
      return {
        ok: false,
        reason:
          `${this.nativeLoaded} loaded, but tfjs could not start its ` +
          "'tensorflow' backend",
      };
    }
    return { ok: true };
  }

  private async tryCuda(): Promise<Attempt> {
    const loaded = this.loadNative(GPU_PACKAGE);
    if (!loaded.ok) return loaded;
    const active = await this.activateNative();
    if (!active.ok) return active;
    const backend = tf.backend() as { isUsingGpuDevice?: boolean };
    if (backend.isUsingGpuDevice !== true) {
      return {
        ok: false,
        reason:
          `${GPU_PACKAGE} loaded, but libtensorflow created no GPU ` +
          `device (it needs an NVIDIA driver with ${CUDA_REQUIREMENT})`,
      };
    }
    return { ok: true, device: 'GPU, CUDA through libtensorflow' };
  }

  private async tryNative(): Promise<Attempt> {
    // The GPU package also runs libtensorflow on the CPU when it found no
    // GPU; loading the CPU package as well would register the backend
    // twice.
    if (this.nativeLoaded === null) {
      const loaded = this.loadNative(NATIVE_PACKAGE);
      if (!loaded.ok) return loaded;
    }
    const active = await this.activateNative();
    if (!active.ok) return active;
    return {
      ok: true,
      device: `CPU, libtensorflow through ${this.nativeLoaded}`,
    };
  }

  private async tryWasm(): Promise<Attempt> {
    const dir = wasmAssetDir();
    const binary = path.join(dir, 'tfjs-backend-wasm-simd.wasm');
    if (!fs.existsSync(binary)) {
      return {
        ok: false,
        reason: `the wasm binaries are missing from ${dir}`,
      };
    }
    // A folder path, not a URL: Node's fetch cannot parse bare paths, and
    // the emscripten loader reads files directly when given one.
    setWasmPaths(dir);
    let ok = false;
    try {
      ok = await tf.setBackend('wasm');
    } catch (error) {
      return { ok: false, reason: `wasm failed: ${firstLine(error)}` };
    }
    if (!ok) {
      return { ok: false, reason: 'tfjs could not start the wasm backend' };
    }
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const device =
      `CPU, wasm XNNPACK ${simd ? 'with' : 'without'} SIMD, ` +
      (threads ? 'multi-threaded' : '1 thread');
    return { ok: true, device };
  }

  private async tryCpu(): Promise<Attempt> {
    const ok = await tf.setBackend('cpu');
    if (!ok) {
      return { ok: false, reason: "tfjs could not start the 'cpu' backend" };
    }
    return { ok: true, device: 'CPU, plain JavaScript' };
  }
}

/** The folder inside the installed package that holds the .wasm files. */
export function wasmAssetDir(): string {
  const manifest =
    require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(manifest), 'dist') + path.sep;
}

/**
 * Picks and starts the backend. With 'auto', the first that works of
 * cuda, tensorflow, wasm, cpu; with a forced name, that one or an error
 * that says why it cannot run.
 */
export async function chooseBackend(
  options: RuntimeOptions = {},
): Promise<RuntimeInfo> {
  const requested = resolveBackendChoice(options);
  const core = assertSingleTfjsCore();
  const chooser = new BackendChooser(options);
  const candidates =
    requested === 'auto' ? [...BACKEND_CHOICES] : [requested as BackendChoice];

  const skipped: SkippedBackend[] = [];
  for (const choice of candidates) {
    const attempt = await chooser.attempt(choice);
    if (attempt.ok) {
      const single = assertSingleTfjsCore();
      return {
        choice,
        backend: tf.getBackend(),
        device: attempt.device ?? 'unknown',
        forced: requested !== 'auto',
        skipped,
        tfjsVersion: tf.version_core,
        tfjsCoreDir: (single ?? core)?.packageDir ?? 'unknown',
        fastGradients: false,
      };
    }
    skipped.push({ choice, reason: attempt.reason ?? 'unknown reason' });
  }

  const reasons = skipped.map((s) => `${s.choice}: ${s.reason}`).join('; ');
  const what =
    requested === 'auto'
      ? 'no tfjs backend could start'
      : `the forced backend '${requested}' cannot run`;
  throw new RuntimeError(`subface runtime: ${what} (${reasons})`);
}

/** One line for a banner: what runs, on what, and what was skipped. */
export function describeRuntime(info: RuntimeInfo): string {
  const how = info.forced ? 'forced' : 'auto';
  const gradients = info.fastGradients ? '; fast wasm gradients' : '';
  let line =
    `SubFace runtime: ${info.choice} (${info.device}; tfjs ` +
    `${info.tfjsVersion}${gradients}; ${how})`;
  if (info.skipped.length > 0) {
    const skipped = info.skipped
      .map((s) => `${s.choice}: ${s.reason}`)
      .join('; ');
    line += ` - skipped ${skipped}`;
  }
  return line;
}
