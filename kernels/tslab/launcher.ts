#!/usr/bin/env node
/**
 * The SubFace Jupyter kernel: tslab 1.0.22 with the subface library.
 *
 *   node out/kernels/tslab/launcher.js --config-path <connection file>
 *
 * (the kernelspec's argv). It checks the tslab version, makes `subface`,
 * `@tensorflow/tfjs` and Node's types resolve and type-check from any
 * notebook folder, starts the fastest tfjs backend and prints what runs
 * (to stderr, and as the first output of the first cell), makes every
 * fit show live progress, and serves Jupyter's protocol with real error
 * messages and interrupts that stop training at a step boundary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describeRuntime, initRuntime } from '../subface/runtime';
import { createKernel } from './kernel_server';
import { installLiveProgress } from './live_progress';
import {
  installRuntimeResolution,
  installTypeOverlay,
  kernelModules,
} from './module_paths';
import { findPackageRoot, packageVersion } from './package_root';
import { KernelError } from './errors';
import { loadTslab } from './tslab_internals';

const USAGE = 'usage: launcher.js --config-path <connection file>';

/** The connection file named by `--config-path`. */
export function parseLauncherArgs(argv: readonly string[]): string {
  const index = argv.indexOf('--config-path');
  const file = index >= 0 ? argv[index + 1] : undefined;
  if (file === undefined || file.startsWith('--')) {
    throw new KernelError(
      `subface kernel: --config-path must name Jupyter's connection ` +
        `file, but got ${JSON.stringify(argv)}\n${USAGE}`,
    );
  }
  return file;
}

/** How often the kernel checks that the process that started it lives. */
const PARENT_POLL_MS = 2000;

/**
 * Starts the backend; resolves to the banner line. A backend that cannot
 * start (one forced by SUBFACE_BACKEND, say) ends the kernel with the
 * reason: cells never run on another backend than the one asked for.
 */
async function startRuntime(): Promise<string> {
  try {
    return describeRuntime(await initRuntime());
  } catch (error) {
    process.stderr.write(
      `SubFace runtime: no tfjs backend started: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }
}

/**
 * With SUBFACE_PARENT_PID set (the VS Code extension sets it), the kernel
 * exits once that process is gone, removing its connection file, so an
 * editor that crashed or was killed leaves no kernel behind.
 */
function exitWithParent(
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const pid = Number(env.SUBFACE_PARENT_PID);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') return;
      fs.rmSync(configPath, { force: true });
      // The folder goes too when the file was all it held.
      fs.rmdir(path.dirname(configPath), () => process.exit(0));
    }
  }, PARENT_POLL_MS);
  timer.unref();
}

async function main(argv: readonly string[]): Promise<void> {
  const configPath = parseLauncherArgs(argv);
  exitWithParent(configPath);
  const tslab = loadTslab();
  const packageRoot = findPackageRoot();
  const cwd = process.cwd();
  const modules = kernelModules(packageRoot);
  installRuntimeResolution(modules);
  installTypeOverlay(tslab.ts, cwd, modules);

  // The kernel's own stderr (Jupyter's log), before cells take it over.
  const log = process.stderr.write.bind(process.stderr);
  const banner = startRuntime().then((line) => {
    log(`${line}\n`);
    return line;
  });
  installLiveProgress();

  const kernel = createKernel(tslab, {
    configPath,
    cwd,
    banner,
    version: packageVersion(packageRoot),
    hiddenDirs: [path.join(tslab.dir, 'dist'), __dirname],
  });
  process.on('SIGINT', () => kernel.interrupts.interrupt());
  process.on('uncaughtException', (error) =>
    console.error('UncaughtException:', error),
  );
  process.on('unhandledRejection', (reason) =>
    console.error('UnhandledPromiseRejection:', reason),
  );
  await kernel.start();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const e = error as Error;
    const text =
      e?.name === 'KernelError' ? e.message : (e?.stack ?? String(e));
    process.stderr.write(`${text}\n`);
    process.exit(1);
  });
}
