/**
 * Which Node.js runs the kernel: the `subface.nodePath` setting, else the
 * first Node 20+ on PATH, else in the usual nvm, Volta and fnm folders.
 * VS Code's own executable (Electron) is never used: native modules and
 * tfjs-node-gpu are built for the user's Node, and Electron's is not one.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const MIN_NODE_MAJOR = 20;

export interface NodeRuntime {
  /** Absolute path of the node executable. */
  path: string;
  /** As `node --version` prints it, e.g. v20.20.2. */
  version: string;
  /** Where it was found: setting, PATH, nvm, volta, fnm or system. */
  source: string;
}

export class NodeNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeNotFoundError';
  }
}

const NODE_EXE = process.platform === 'win32' ? 'node.exe' : 'node';
const INSTALL_HINT =
  `Install Node.js ${MIN_NODE_MAJOR} or later (https://nodejs.org, or ` +
  `nvm install --lts), or set "subface.nodePath" to the absolute path ` +
  `of its node executable.`;

interface Candidate {
  path: string;
  source: string;
}

/** Expands a leading `~` (settings are often written that way). */
export function expandHome(file: string): string {
  if (file === '~') return os.homedir();
  if (file.startsWith('~/')) return path.join(os.homedir(), file.slice(2));
  return file;
}

/** Sub-folders of `dir`, newest version first (v22.1.0 before v20.9.0). */
function versionDirs(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const key = (name: string) =>
    name
      .replace(/^v/, '')
      .split('.')
      .map((part) => part.padStart(6, '0'))
      .join('.');
  return names
    .sort((a, b) => key(b).localeCompare(key(a)))
    .map((name) => path.join(dir, name));
}

/** The places searched, in order. */
export function nodeCandidates(env: NodeJS.ProcessEnv): Candidate[] {
  const home = os.homedir();
  const found: Candidate[] = [];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir) found.push({ path: path.join(dir, NODE_EXE), source: 'PATH' });
  }
  const nvmDir = env.NVM_DIR ?? path.join(home, '.nvm');
  for (const dir of versionDirs(path.join(nvmDir, 'versions', 'node'))) {
    found.push({ path: path.join(dir, 'bin', NODE_EXE), source: 'nvm' });
  }
  const voltaHome = env.VOLTA_HOME ?? path.join(home, '.volta');
  found.push({ path: path.join(voltaHome, 'bin', NODE_EXE), source: 'volta' });
  const fnmDirs = [
    env.FNM_DIR,
    path.join(home, '.local', 'share', 'fnm'),
    path.join(home, '.fnm'),
    path.join(home, 'Library', 'Application Support', 'fnm'),
  ];
  for (const fnm of fnmDirs) {
    if (fnm === undefined) continue;
    for (const dir of versionDirs(path.join(fnm, 'node-versions'))) {
      const exe = path.join(dir, 'installation', 'bin', NODE_EXE);
      found.push({ path: exe, source: 'fnm' });
    }
  }
  for (const dir of ['/usr/local/bin', '/opt/homebrew/bin', '/usr/bin']) {
    found.push({ path: path.join(dir, NODE_EXE), source: 'system' });
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** True for the executable of this process when it is Electron. */
function isEditorExecutable(file: string): boolean {
  if (process.versions.electron === undefined) return false;
  try {
    return fs.realpathSync(file) === fs.realpathSync(process.execPath);
  } catch {
    return false;
  }
}

/** Variables the editor sets for its own processes, not for a child. */
function isEditorVariable(name: string): boolean {
  return (
    name.startsWith('VSCODE_') ||
    name.startsWith('ELECTRON_') ||
    name === 'APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL'
  );
}

/**
 * The environment for a Node the extension starts (kernel, npm, version
 * check): the editor's, without the editor's own variables.
 */
export function childEnv(
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!isEditorVariable(name)) env[name] = value;
  }
  return env;
}

/** `node --version`, or null when it does not run. */
export function nodeVersion(file: string): Promise<string | null> {
  return new Promise((resolve) => {
    const env = childEnv();
    execFile(file, ['--version'], { timeout: 10_000, env }, (error, out) => {
      const version = String(out).trim();
      resolve(error === null && /^v\d+\./.test(version) ? version : null);
    });
  });
}

function majorOf(version: string): number {
  return Number(version.slice(1).split('.')[0]);
}

async function checkConfigured(configured: string): Promise<NodeRuntime> {
  const file = expandHome(configured);
  const problem = (what: string) =>
    new NodeNotFoundError(
      `"subface.nodePath" is ${JSON.stringify(configured)}, but ${what}. ` +
        INSTALL_HINT,
    );
  if (!path.isAbsolute(file)) throw problem('it must be an absolute path');
  if (!isExecutable(file)) throw problem('that is not an executable file');
  const version = await nodeVersion(file);
  if (version === null) throw problem('it does not run as node --version');
  if (majorOf(version) < MIN_NODE_MAJOR) {
    throw problem(`it is ${version} and the kernel needs ${MIN_NODE_MAJOR}+`);
  }
  return { path: file, version, source: 'setting' };
}

/** Finds the Node that runs kernels; throws NodeNotFoundError. */
export async function findNode(
  configured: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeRuntime> {
  if (configured.trim() !== '') return checkConfigured(configured.trim());
  const tooOld: string[] = [];
  const seen = new Set<string>();
  for (const candidate of nodeCandidates(env)) {
    if (seen.has(candidate.path) || !isExecutable(candidate.path)) continue;
    seen.add(candidate.path);
    if (isEditorExecutable(candidate.path)) continue;
    const version = await nodeVersion(candidate.path);
    if (version === null) continue;
    if (majorOf(version) >= MIN_NODE_MAJOR) {
      return { path: candidate.path, version, source: candidate.source };
    }
    tooOld.push(`${candidate.path} (${version})`);
  }
  const old =
    tooOld.length > 0 ? ` Too old: ${tooOld.join(', ')}.` : ' None was found.';
  throw new NodeNotFoundError(
    `The SubFace kernel needs Node.js ${MIN_NODE_MAJOR} or later. Searched ` +
      `PATH, nvm, Volta, fnm and the system folders.${old} ${INSTALL_HINT}`,
  );
}
