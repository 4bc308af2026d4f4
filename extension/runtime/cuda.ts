/**
 * "SubFace: Enable CUDA": installs @tensorflow/tfjs-node-gpu into the
 * kernel environment folder, which kernels find through NODE_PATH.
 *
 * Its install script downloads libtensorflow (GPU build) from Google's
 * storage, so it needs the internet; at run time it needs an NVIDIA GPU
 * with the CUDA and cuDNN versions that libtensorflow was built against.
 * A failure says which of these it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import {
  CUDA_REQUIREMENT,
  GPU_PACKAGE,
  TFJS_VERSION,
} from '../../kernels/subface/runtime/native_packages';
import type { KernelLauncher } from '../kernel_launcher';
import { NpmResult, runNpmInstall } from './npm_install';

const REQUIREMENT_NOTE =
  `${GPU_PACKAGE} ${TFJS_VERSION} runs on Linux or Windows x64 ` +
  `with an NVIDIA GPU and ${CUDA_REQUIREMENT} (libtensorflow 2.9.1).`;

export type CudaOutcome =
  | 'installed'
  | 'no-internet'
  | 'unsupported-platform'
  | 'no-node'
  | 'cancelled'
  | 'failed';

export interface CudaResult {
  outcome: CudaOutcome;
  /** Where the package went (or was to go). */
  dir: string;
  /** What the user was told. */
  message: string;
}

const NETWORK_ERROR =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|network/i;

/** The tfjs packages the kernel already has; a second copy must not load. */
const SHARED_TFJS = /^tfjs(-core|-backend-.*|-converter|-data|-layers)?$/;

export async function enableCuda(
  launcher: KernelLauncher,
): Promise<CudaResult> {
  const dir = launcher.environmentDir();
  const done = (outcome: CudaOutcome, message: string): CudaResult => {
    launcher.channel.appendLine(`[Enable CUDA] ${message}`);
    return { outcome, dir, message };
  };
  if (
    !['linux', 'win32'].includes(process.platform) ||
    process.arch !== 'x64'
  ) {
    return done(
      'unsupported-platform',
      `CUDA cannot be enabled on ${process.platform}-${process.arch}: ` +
        REQUIREMENT_NOTE,
    );
  }
  let node: string;
  try {
    node = (await launcher.findNode()).path;
  } catch (error) {
    return done('no-node', (error as Error).message);
  }

  const result = await installWithProgress(launcher, node, dir);
  if (result.cancelled) return done('cancelled', 'The install was cancelled.');
  if (!result.ok) return done(...explainFailure(result));
  removeSharedTfjs(dir);
  return done(
    'installed',
    `Installed ${GPU_PACKAGE} ${TFJS_VERSION} in ${dir}. Restart ` +
      `the kernel to use it. ${REQUIREMENT_NOTE}`,
  );
}

function installWithProgress(
  launcher: KernelLauncher,
  node: string,
  dir: string,
): Thenable<NpmResult> {
  const spec = `${GPU_PACKAGE}@${TFJS_VERSION}`;
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `SubFace: installing ${spec}`,
      cancellable: true,
    },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      launcher.channel.appendLine(
        `[Enable CUDA] npm install ${spec} in ${dir}`,
      );
      return runNpmInstall({
        node,
        dir,
        spec,
        signal: abort.signal,
        onLine: (line) => {
          launcher.channel.appendLine(`[npm] ${line}`);
          if (line.trim()) progress.report({ message: line.slice(0, 80) });
        },
      });
    },
  );
}

function explainFailure(result: NpmResult): [CudaOutcome, string] {
  const output = result.tail.join('\n');
  if (NETWORK_ERROR.test(output)) {
    return [
      'no-internet',
      `Could not install ${GPU_PACKAGE}: no internet connection. Its ` +
        `install downloads libtensorflow (GPU build) from ` +
        `storage.googleapis.com; connect to the internet (or set ` +
        `HTTPS_PROXY) and run "SubFace: Enable CUDA" again. ` +
        REQUIREMENT_NOTE,
    ];
  }
  const lastError =
    [...result.tail].reverse().find((line) => /error/i.test(line)) ??
    result.tail[result.tail.length - 1] ??
    'no output';
  return [
    'failed',
    `Could not install ${GPU_PACKAGE} (npm exit code ` +
      `${result.exitCode}): ${lastError.trim()}. The "SubFace Kernel" ` +
      `output has npm's whole log. ${REQUIREMENT_NOTE}`,
  ];
}

/**
 * tfjs-node-gpu brings its own @tensorflow/tfjs. The kernel must run on
 * exactly one copy of tfjs-core (its own), so the environment's copies
 * are removed and tfjs-node-gpu resolves them through NODE_PATH.
 */
function removeSharedTfjs(dir: string): void {
  const scope = path.join(dir, 'node_modules', '@tensorflow');
  if (!fs.existsSync(scope)) return;
  for (const name of fs.readdirSync(scope)) {
    if (SHARED_TFJS.test(name)) {
      fs.rmSync(path.join(scope, name), { recursive: true, force: true });
    }
  }
}

/** Shows the result; the install itself never waits for the user. */
export function announce(result: CudaResult, channel: vscode.OutputChannel) {
  const log = 'Show Log';
  const shown =
    result.outcome === 'installed'
      ? vscode.window.showInformationMessage(result.message)
      : vscode.window.showErrorMessage(result.message, log);
  void shown.then((choice) => {
    if (choice === log) channel.show(true);
  });
}
