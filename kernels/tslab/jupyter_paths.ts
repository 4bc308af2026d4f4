/**
 * Where Jupyter keeps kernelspecs, following jupyter_core's rules, so
 * that installing needs neither Python nor Jupyter (except --sys-prefix,
 * which asks Python for its prefix):
 *
 * - user: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter
 *   ($XDG_DATA_HOME/jupyter when set); ~/Library/Jupyter on macOS;
 *   %APPDATA%\jupyter on Windows;
 * - prefix P: P/share/jupyter;
 * - system: /usr/local/share/jupyter and /usr/share/jupyter
 *   (%PROGRAMDATA%\jupyter on Windows);
 * - search order: $JUPYTER_PATH entries, user, system.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

import { KernelError } from './errors';

/** The Python asked for sys.prefix by default (Debian's, not pyenv's). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

export type Env = Record<string, string | undefined>;

/** The home folder `env` names (HOME, USERPROFILE), else the OS's. */
function homeOf(env: Env): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

/** Jupyter's per-user data folder. */
export function userDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homeOf(env),
): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (platform === 'darwin') return path.join(home, 'Library', 'Jupyter');
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
    return path.join(appData, 'jupyter');
  }
  const xdg = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  return path.join(xdg, 'jupyter');
}

/** The system-wide data folders, most specific first. */
export function systemDataDirs(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (platform === 'win32') {
    return [path.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'jupyter')];
  }
  return ['/usr/local/share/jupyter', '/usr/share/jupyter'];
}

/** The data folder of an installation prefix. */
export function prefixDataDir(prefix: string): string {
  return path.join(path.resolve(prefix), 'share', 'jupyter');
}

/** The data folders Jupyter searches for kernels, in its order. */
export function searchDataDirs(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homeOf(env),
): string[] {
  const fromEnv = (env.JUPYTER_PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '');
  const dirs = [
    ...fromEnv,
    userDataDir(env, platform, home),
    ...systemDataDirs(env, platform),
  ];
  return [...new Set(dirs.map((dir) => path.resolve(dir)))];
}

/** Python's sys.prefix, for --sys-prefix. */
export function pythonPrefix(python: string = DEFAULT_PYTHON): string {
  const result = spawnSync(python, ['-c', 'import sys; print(sys.prefix)'], {
    encoding: 'utf8',
  });
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim();
    throw new KernelError(
      `subface kernel install: --sys-prefix needs a Python to ask for ` +
        `sys.prefix, but ${python} did not answer (${why}); install ` +
        `python3, pass --python <path>, or use --user or --prefix <dir>`,
    );
  }
  return result.stdout.trim();
}
