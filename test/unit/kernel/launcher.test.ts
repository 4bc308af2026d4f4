/**
 * The kernel launcher as a real process: a backend that cannot start ends
 * the kernel with the reason, and a kernel whose starting process is gone
 * (SUBFACE_PARENT_PID) exits and removes its connection file.
 */
import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  createConnectionInfo,
  writeConnectionFile,
} from '../../../extension/kernel/connection';
import { REPO_ROOT } from '../../helpers/paths';

const LAUNCHER = path.join(REPO_ROOT, 'out', 'kernels', 'tslab', 'launcher.js');

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function startKernel(env: NodeJS.ProcessEnv, connectionFile: string) {
  const child = spawn(
    process.execPath,
    [LAUNCHER, '--config-path', connectionFile],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<Ended>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, ended };
}

/** Resolves with the exit, or kills the process and rejects after `ms`. */
function within(
  child: ChildProcess,
  ended: Promise<Ended>,
  ms: number,
): Promise<Ended> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the kernel was still running after ${ms} ms`));
    }, ms);
  });
  return Promise.race([ended, late]).finally(() => clearTimeout(timer));
}

async function connectionFile(): Promise<string> {
  return writeConnectionFile(await createConnectionInfo('launcher-test'));
}

describe('the kernel launcher', () => {
  it('exits with the reason when the forced backend cannot start', async () => {
    const file = await connectionFile();
    const { child, ended } = startKernel(
      { SUBFACE_BACKEND: 'tensorflow', SUBFACE_PARENT_PID: '' },
      file,
    );
    const exit = await within(child, ended, 60_000);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    assert.equal(exit.code, 1, exit.stderr);
    assert.match(exit.stderr, /no tfjs backend started/);
    assert.match(exit.stderr, /forced backend 'tensorflow' cannot run/);
    assert.match(exit.stderr, /tfjs-node is not installed/);
  });

  it('exits and removes its connection file when its parent is gone', async () => {
    const parent = spawn(process.execPath, [
      '-e',
      'setTimeout(() => {}, 60000)',
    ]);
    const file = await connectionFile();
    const { child, ended } = startKernel(
      { SUBFACE_BACKEND: 'cpu', SUBFACE_PARENT_PID: String(parent.pid) },
      file,
    );
    // The kernel is up and serving while its parent lives.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(
      child.exitCode,
      null,
      'the kernel ended while its parent lived',
    );
    await new Promise((resolve) => {
      parent.once('exit', resolve);
      parent.kill('SIGKILL');
    });
    const exit = await within(child, ended, 20_000);
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(fs.existsSync(file), false, 'connection file left behind');
    assert.equal(fs.existsSync(path.dirname(file)), false);
  });
});
