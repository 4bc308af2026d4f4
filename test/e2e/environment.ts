/**
 * What the VS Code end-to-end tests need and where it is: code-server
 * 4.100.3 in the test cache (installed by test/setup/vscode.sh), Debian's
 * Chromium for Playwright, and the built extension. `vscodeSkipReason()`
 * runs the (idempotent) setup and says why the tests cannot run here, so
 * they are reported as skipped with that reason, never as passed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from '../helpers/paths';
import { CHROMIUM_PATH } from '../renderers/browser';

export const CODE_SERVER_VERSION = '4.100.3';
export const TEST_CACHE =
  process.env.SUBFACE_TEST_CACHE ??
  path.join(os.homedir(), '.cache', 'subface-test');
export const CODE_SERVER = path.join(
  TEST_CACHE,
  `code-server-${CODE_SERVER_VERSION}`,
  'node_modules',
  '.bin',
  'code-server',
);
/** The renderer tests' Chromium (CHROMIUM_PATH, else Debian's). */
export const CHROMIUM = CHROMIUM_PATH;
export const SETUP_SCRIPT = path.join(REPO_ROOT, 'test', 'setup', 'vscode.sh');
/** Screenshots and logs kept after the tests. */
export const ARTIFACTS = path.join(REPO_ROOT, 'out', 'test-artifacts', 'e2e');
/** Runs inside VS Code's extension host (extensionTestsPath). */
export const SUITE_ENTRY = path.join(
  REPO_ROOT,
  'test',
  'e2e',
  'suite',
  'index.js',
);

/** Files of the built extension that the tests load. */
const BUILT = [
  'out/extension/extension.js',
  'out/kernels/tslab/launcher.js',
  'out/media/renderer.js',
];

const SETUP_TIMEOUT_MS = 15 * 60_000;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs test/setup/vscode.sh; returns what it printed. */
function runSetup(): string {
  const run = spawnSync('sh', [SETUP_SCRIPT], {
    encoding: 'utf8',
    timeout: SETUP_TIMEOUT_MS,
    cwd: REPO_ROOT,
  });
  return `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
}

let cachedReason: string | null | undefined;

/** Why the VS Code tests cannot run here, or null when they can. */
export function vscodeSkipReason(): string | null {
  if (cachedReason !== undefined) return cachedReason;
  const missing = BUILT.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)));
  const setupLog = missing.length === 0 ? runSetup() : '';
  const said = setupLog ? ` (test/setup/vscode.sh: ${setupLog})` : '';
  if (missing.length > 0) {
    cachedReason = `the extension is not built: ${missing.join(', ')} missing`;
  } else if (!isExecutable(CODE_SERVER)) {
    cachedReason = `code-server ${CODE_SERVER_VERSION} is not installed at ${CODE_SERVER}${said}`;
  } else if (!isExecutable(CHROMIUM)) {
    cachedReason = `no Chromium at ${CHROMIUM} (apt-get install chromium)${said}`;
  } else {
    cachedReason = null;
  }
  return cachedReason;
}

/** A new folder for one test run (removed by the caller). */
export function runFolder(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `subface-e2e-${name}-`));
}

/** Elapsed seconds since `start`, for progress lines. */
export function since(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}
