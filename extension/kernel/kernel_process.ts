/**
 * The kernel as an operating-system process: the SubFace launcher run by
 * the user's Node, its log lines (stderr, and stdout before any cell
 * takes it over), the runtime banner it prints at start, interrupts
 * (SIGINT, as the kernelspec's interrupt_mode "signal" says) and a kill
 * that does not leave it behind.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as readline from 'node:readline';

/** How the launcher prints the chosen tfjs backend, once, at start. */
export const BANNER_PREFIX = 'SubFace runtime:';

export interface KernelLaunch {
  /** Absolute path of node. */
  node: string;
  /** out/kernels/tslab/launcher.js of the extension. */
  launcher: string;
  connectionFile: string;
  /** The notebook's folder: cells resolve relative paths from here. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

/** Time a kernel gets to exit after SIGTERM before it is killed. */
const KILL_GRACE_MS = 2000;

export class KernelProcess {
  /** Resolves when the process has ended (never rejects). */
  readonly exited: Promise<KernelExit>;
  private readonly child: ChildProcess;
  private exit: KernelExit | null = null;
  private bannerLine: string | null = null;
  private readonly bannerWaiters: ((line: string) => void)[] = [];

  /** @param log receives every line the kernel prints on its own */
  constructor(
    launch: KernelLaunch,
    private readonly log: (line: string) => void,
  ) {
    this.child = spawn(
      launch.node,
      [launch.launcher, '--config-path', launch.connectionFile],
      {
        cwd: launch.cwd,
        // The kernel ends itself when this process is gone (a crashed
        // editor leaves no kernel behind).
        env: { ...launch.env, SUBFACE_PARENT_PID: String(process.pid) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exit = { code: null, signal: null, error };
        resolve(this.exit);
      });
      this.child.once('exit', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
    this.readLines(this.child.stdout, false);
    this.readLines(this.child.stderr, true);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The banner line, once the kernel has printed it. */
  get banner(): string | null {
    return this.bannerLine;
  }

  /** Resolves with the banner line when the kernel prints it. */
  waitForBanner(): Promise<string> {
    if (this.bannerLine !== null) return Promise.resolve(this.bannerLine);
    return new Promise((resolve) => this.bannerWaiters.push(resolve));
  }

  /** Sends SIGINT; each call interrupts again. */
  interrupt(): void {
    if (this.running) this.child.kill('SIGINT');
  }

  /** Ends the process: waits `graceMs` for it, then SIGTERM, then SIGKILL. */
  async stop(graceMs = 0): Promise<KernelExit> {
    if (graceMs > 0) await Promise.race([this.exited, delay(graceMs)]);
    if (this.running) this.child.kill('SIGTERM');
    await Promise.race([this.exited, delay(KILL_GRACE_MS)]);
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  private readLines(stream: NodeJS.ReadableStream | null, isStderr: boolean) {
    if (stream === null) return;
    const lines = readline.createInterface({ input: stream });
    lines.on('line', (line) => {
      this.log(line);
      if (isStderr && this.bannerLine === null) this.checkBanner(line);
    });
  }

  private checkBanner(line: string): void {
    const at = line.indexOf(BANNER_PREFIX);
    if (at < 0) return;
    this.bannerLine = line.slice(at).trim();
    for (const resolve of this.bannerWaiters.splice(0)) {
      resolve(this.bannerLine);
    }
  }
}

/**
 * The backend of a banner line ("SubFace runtime: wasm (CPU, ...)"), or
 * 'none' when the line says that no backend started.
 */
export function backendOfBanner(line: string): string {
  const match = /SubFace runtime:\s*([\w-]+)\s*\(/.exec(line);
  return match === null ? 'none' : match[1];
}

/** Words for how a kernel ended, for messages. */
export function describeExit(exit: KernelExit): string {
  if (exit.error !== undefined) return exit.error.message;
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
