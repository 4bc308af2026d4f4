/**
 * Runs execute requests one at a time, as tslab's handler does, and
 * reports a failed cell as a Jupyter error: an IOPub `error` message
 * plus ename, evalue and traceback in the `execute_reply`. Also sends
 * `execute_input` (tslab does not) and shows the kernel's banner as the
 * first output of the first cell.
 */
import type * as Executor from 'tslab/dist/executor';
import type * as Jupyter from 'tslab/dist/jupyter';
import type * as Util from 'tslab/dist/util';

import { CellError, thrownError } from './cell_errors';
import { ErrorRecorder } from './error_recorder';
import { InterruptHandler } from './interrupt';

export type DisplayData = Parameters<typeof Jupyter.lastWriteDisplayData>[0];

/** Where a cell's messages go (IOPub, parented to its request). */
export interface CellIo {
  stream(name: 'stdout' | 'stderr', text: string): void;
  display(data: DisplayData, update: boolean): void;
  publish(msgType: string, content: object): void;
}

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  stop_on_error?: boolean;
}

export type ExecuteReply =
  | { status: 'ok'; execution_count: number }
  | ({ status: 'error'; execution_count: number } & CellError)
  | { status: 'abort' };

/**
 * After a failed cell, requests that arrive within this many ms are
 * aborted, as tslab does: they were queued behind the failure.
 */
const ABORT_WINDOW_MS = 200;

/** Thrown inside the queue so the requests queued behind it abort. */
class CellFailed {
  constructor(readonly reply: ExecuteReply) {}
}

export interface CellRunnerParts {
  executor: Executor.Executor;
  jupyter: typeof Jupyter;
  util: typeof Util;
  recorder: ErrorRecorder;
  interrupts: InterruptHandler;
  /** The banner line; resolves when the runtime has started. */
  banner: Promise<string>;
  /** Whose stdout and stderr go to the cell. Default: process. */
  streams?: Streams;
}

type Write = typeof process.stdout.write;

/** The standard streams the running cell takes over. */
export interface Streams {
  stdout: { write: Write };
  stderr: { write: Write };
}

export class CellRunner {
  private readonly queue: Util.TaskQueue;
  private readonly streams: Streams;
  private count = 0;
  private bannerShown = false;

  constructor(private readonly parts: CellRunnerParts) {
    this.queue = new parts.util.TaskQueue();
    this.streams = parts.streams ?? process;
  }

  async execute(request: ExecuteRequest, io: CellIo): Promise<ExecuteReply> {
    try {
      return await this.queue.add(() => this.run(request, io));
    } catch (error) {
      if (error instanceof this.parts.util.TaskCanceledError) {
        return { status: 'abort' };
      }
      this.queue.reset(ABORT_WINDOW_MS);
      if (error instanceof CellFailed) return error.reply;
      // A fault of the kernel itself: still answer, or the client waits.
      const failure = thrownError(error);
      io.publish('error', failure);
      return { status: 'error', execution_count: this.count, ...failure };
    }
  }

  private async run(
    request: ExecuteRequest,
    io: CellIo,
  ): Promise<ExecuteReply> {
    const { executor, recorder, interrupts } = this.parts;
    this.redirectOutput(io);
    const count = ++this.count;
    io.publish('execute_input', { code: request.code, execution_count: count });
    await this.showBanner(io);

    recorder.begin();
    const ok = await interrupts.runCell(() => executor.execute(request.code));
    const { error, stderr } = recorder.finish(ok, request.code);
    if (stderr) this.streams.stderr.write(stderr);
    if (error === null) return { status: 'ok', execution_count: count };

    io.publish('error', error);
    const reply: ExecuteReply = {
      status: 'error',
      execution_count: count,
      ...error,
    };
    if (request.stop_on_error === false) return reply;
    throw new CellFailed(reply);
  }

  /**
   * Output of the process goes to the running cell, and stays with it
   * after it ends (timers, late rejections), as in tslab and IPython.
   */
  private redirectOutput(io: CellIo): void {
    const decoder = new TextDecoder();
    const writer = (name: 'stdout' | 'stderr') =>
      ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
        io.stream(name, text);
        // Callers waiting for the write to finish are told it did.
        const done = rest.find((arg) => typeof arg === 'function');
        if (done) queueMicrotask(done as () => void);
        return true;
      }) as Write;
    this.streams.stdout.write = writer('stdout');
    this.streams.stderr.write = writer('stderr');
    // tslab's display API and libraries that find the live tslab use it.
    const jupyter = this.parts.jupyter as { lastWriteDisplayData: unknown };
    jupyter.lastWriteDisplayData = io.display;
  }

  private async showBanner(io: CellIo): Promise<void> {
    if (this.bannerShown) return;
    this.bannerShown = true;
    const banner = await this.parts.banner;
    io.display(
      { data: { 'text/plain': banner }, metadata: {}, transient: {} },
      false,
    );
  }
}
