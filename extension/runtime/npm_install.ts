/**
 * `npm install` of one package into a folder, run by the user's Node
 * with the npm that came with it, so native packages are built for the
 * Node that will load them (and install scripts find that `node` first
 * on PATH).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

import { childEnv } from './node_runtime';

export interface NpmInstall {
  /** The user's node. */
  node: string;
  /** The folder to install into (created with a package.json). */
  dir: string;
  /** name@version */
  spec: string;
  /** Gets every line npm prints. */
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

export interface NpmResult {
  ok: boolean;
  exitCode: number | null;
  cancelled: boolean;
  /** The last lines npm printed (for the explanation of a failure). */
  tail: string[];
  /** The command that ran, for the log. */
  command: string;
}

const TAIL_LINES = 40;

/** npm's JavaScript entry next to a Node installation, if any. */
export function npmCliOf(node: string): string | null {
  const bin = path.dirname(node);
  const candidates = [
    path.join(bin, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    path.join(bin, 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

/** Makes `dir` an npm project of its own, so npm does not look above it. */
export function prepareFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  if (fs.existsSync(manifest)) return;
  const content = {
    name: 'subface-kernel-environment',
    private: true,
    description: 'Packages the SubFace kernel loads besides its own.',
  };
  fs.writeFileSync(manifest, `${JSON.stringify(content, null, 2)}\n`);
}

function installEnv(node: string): NodeJS.ProcessEnv {
  const env = childEnv();
  env.PATH = [path.dirname(node), env.PATH]
    .filter(Boolean)
    .join(path.delimiter);
  env.npm_config_update_notifier = 'false';
  return env;
}

export function runNpmInstall(install: NpmInstall): Promise<NpmResult> {
  prepareFolder(install.dir);
  const cli = npmCliOf(install.node);
  const args = [
    'install',
    '--save-exact',
    '--no-audit',
    '--no-fund',
    '--no-progress',
    install.spec,
  ];
  const [command, commandArgs] =
    cli === null ? ['npm', args] : [install.node, [cli, ...args]];
  const tail: string[] = [];
  const described = [command, ...commandArgs].join(' ');

  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: install.dir,
      env: installEnv(install.node),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      child.kill('SIGTERM');
    };
    install.signal?.addEventListener('abort', cancel, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        install.onLine(line);
      });
    }
    const finish = (exitCode: number | null, error?: Error) => {
      install.signal?.removeEventListener('abort', cancel);
      if (error !== undefined) tail.push(error.message);
      const ok = exitCode === 0 && !cancelled;
      resolve({ ok, exitCode, cancelled, tail, command: described });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
  });
}
