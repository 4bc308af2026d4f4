/**
 * One running SubFace kernel: its process and its Jupyter connection,
 * started together and ended together. A cell whose kernel dies gets an
 * error instead of waiting forever.
 */
import {
  createConnectionInfo,
  removeConnectionFile,
  writeConnectionFile,
} from './connection';
import { ExecuteReply, JupyterMessage, KernelClient } from './kernel_client';
import { describeExit, KernelExit, KernelProcess } from './kernel_process';

export interface SessionOptions {
  node: string;
  launcher: string;
  /** The notebook's folder. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Gets every line the kernel logs (stderr, and stdout outside cells). */
  log: (line: string) => void;
  /** Gets output that arrives after its cell has ended. */
  unclaimed: (message: JupyterMessage) => void;
  /** How long the kernel may take to answer kernel_info. */
  startTimeoutMs?: number;
}

/** The kernel ended, or never started. */
export class KernelDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelDiedError';
  }
}

const DEFAULT_START_TIMEOUT_MS = 120_000;
/** Log lines kept to explain a kernel that died. */
const TAIL_LINES = 15;
/** Time a kernel gets to exit by itself after a shutdown request. */
const SHUTDOWN_GRACE_MS = 1500;

export class KernelSession {
  private closing = false;

  /** @param tail the last lines of the kernel's log, kept up to date */
  private constructor(
    readonly process: KernelProcess,
    private readonly client: KernelClient,
    private readonly connectionFile: string,
    private readonly tail: string[],
  ) {}

  /** Starts the kernel; resolves once it answers kernel_info. */
  static async start(options: SessionOptions): Promise<KernelSession> {
    const info = await createConnectionInfo('subface');
    const connectionFile = writeConnectionFile(info);
    const tail: string[] = [];
    const kernel = new KernelProcess(
      {
        node: options.node,
        launcher: options.launcher,
        connectionFile,
        cwd: options.cwd,
        env: options.env,
      },
      (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        options.log(line);
      },
    );

    const connecting = KernelClient.connect(info, options.unclaimed);
    const ready = connecting.then(async (client) => {
      await client.waitUntilReady();
      return client;
    });
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    try {
      const client = await Promise.race([
        ready,
        kernel.exited.then((exit) => {
          throw startFailure(options.node, exit, tail);
        }),
        timeout(timeoutMs).then(() => {
          throw new KernelDiedError(
            `The SubFace kernel did not answer within ${timeoutMs / 1000} s.` +
              lastLog(tail),
          );
        }),
      ]);
      return new KernelSession(kernel, client, connectionFile, tail);
    } catch (error) {
      await kernel.stop();
      void connecting.then((client) => client.close());
      removeConnectionFile(connectionFile);
      throw error;
    }
  }

  get running(): boolean {
    return this.process.running && !this.closing;
  }

  /** Runs a cell; rejects with KernelDiedError if the kernel ends first. */
  async execute(
    code: string,
    onMessage: (message: JupyterMessage) => void,
  ): Promise<ExecuteReply> {
    if (!this.running) {
      throw new KernelDiedError('The SubFace kernel is not running.');
    }
    return Promise.race([
      this.client.execute(code, onMessage),
      this.process.exited.then((exit) => {
        throw new KernelDiedError(
          this.closing
            ? 'The kernel was shut down while the cell ran.'
            : `The SubFace kernel died (${describeExit(exit)}).` +
                lastLog(this.tail),
        );
      }),
    ]);
  }

  /** SIGINT to the kernel; repeatable. */
  interrupt(): void {
    this.process.interrupt();
  }

  /** Asks the kernel to exit, then makes sure it has; idempotent. */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.process.running) this.client.requestShutdown();
    await this.process.stop(SHUTDOWN_GRACE_MS);
    this.client.close();
    removeConnectionFile(this.connectionFile);
  }
}

function startFailure(node: string, exit: KernelExit, tail: string[]) {
  const why = describeExit(exit);
  return new KernelDiedError(
    exit.error !== undefined
      ? `The SubFace kernel could not start with ${node}: ${why}.`
      : `The SubFace kernel exited while starting (${why}).${lastLog(tail)}`,
  );
}

function lastLog(tail: string[]): string {
  if (tail.length === 0) return '';
  return `\nLast lines of its log:\n${tail.join('\n')}`;
}

function timeout(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
