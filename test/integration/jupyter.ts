/**
 * Shared set-up of the integration tests: Debian's Jupyter (found or
 * reported missing), a SubFace kernelspec installed into a temporary
 * prefix, notebook folders outside the project, and kernel sessions
 * driven by kernel_session.py through jupyter_client.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from '../helpers/paths';

/** Debian's Python: the pyenv python3 on PATH cannot see its packages. */
export const PYTHON = '/usr/bin/python3';
export const CLI = path.join(
  REPO_ROOT,
  'out',
  'kernels',
  'subface',
  'cli',
  'main.js',
);
export const SESSION_SCRIPT = path.join(
  REPO_ROOT,
  'test',
  'integration',
  'kernel_session.py',
);

/** Why the Jupyter tests cannot run here, or null when they can. */
export function jupyterSkipReason(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import jupyter_client, nbclient'], {
    encoding: 'utf8',
  });
  if (probe.error !== undefined || probe.status !== 0) {
    return (
      `Jupyter is not available to ${PYTHON} (python3-nbclient and ` +
      `jupyter-client; test/setup/jupyter.sh installs them as root)`
    );
  }
  return null;
}

const tempFolders: string[] = [];

process.on('exit', () => {
  for (const dir of tempFolders) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A new folder outside the project (os.tmpdir()), removed at exit. */
export function tempFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `subface-${prefix}-`));
  tempFolders.push(dir);
  return dir;
}

/** The subface CLI as a child process; throws unless it succeeds. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env,
  });
  if (result.status !== 0) {
    throw new Error(`subface ${args.join(' ')} failed: ${result.stderr}`);
  }
  return result.stdout;
}

export interface TestKernel {
  name: string;
  /** The data folder to put on JUPYTER_PATH. */
  dataDir: string;
  /** The environment that finds this kernel first. */
  env: NodeJS.ProcessEnv;
}

/** Installs the kernelspec into a fresh prefix under os.tmpdir(). */
export function installTestKernel(name = 'subface-test'): TestKernel {
  const prefix = tempFolder('prefix');
  runCli(['kernel', 'install', '--prefix', prefix, '--name', name]);
  const dataDir = path.join(prefix, 'share', 'jupyter');
  const env = { ...process.env, JUPYTER_PATH: dataDir };
  return { name, dataDir, env };
}

export interface SessionStep {
  code: string;
  /** Seconds; default 120. */
  timeout?: number;
  /** Seconds after sending the cell at which SIGINT is sent. */
  interrupt_after?: number;
}

export interface Output {
  msg_type: string;
  content: Record<string, unknown>;
}

export interface CellResult {
  reply: Record<string, unknown>;
  outputs: Output[];
  seconds: number;
  /** Seconds from the kernel's start to this cell's reply. */
  replied_at: number;
  reply_after_interrupt: number | null;
}

export interface SessionReport {
  ready_seconds: number;
  alive: boolean;
  cells: CellResult[];
}

/** Runs `steps` in one kernel started in `cwd`; resolves to the report. */
export function runSession(
  kernel: TestKernel,
  cwd: string,
  steps: SessionStep[],
  timeoutMs = 600_000,
): Promise<SessionReport> {
  const plan = JSON.stringify({ kernel: kernel.name, cwd, steps });
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SESSION_SCRIPT], { env: kernel.env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(stdout).toString('utf8');
      try {
        if (code !== 0) throw new Error(`exit status ${code}`);
        resolve(JSON.parse(text) as SessionReport);
      } catch (error) {
        const why = `${(error as Error).message}\n${Buffer.concat(stderr)}`;
        reject(new Error(`kernel_session.py failed: ${why}`));
      }
    });
    child.stdin.end(plan);
  });
}

/** The text a cell wrote to one stream. */
export function streamText(cell: CellResult, name = 'stdout'): string {
  return cell.outputs
    .filter((o) => o.msg_type === 'stream' && o.content.name === name)
    .map((o) => String(o.content.text))
    .join('');
}

/** The last JSON line a cell printed. */
export function printedJson(cell: CellResult): Record<string, unknown> {
  const lines = streamText(cell).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** The cell's IOPub error messages. */
export function errorsOf(cell: CellResult): Output['content'][] {
  return cell.outputs
    .filter((o) => o.msg_type === 'error')
    .map((o) => o.content);
}
