/**
 * The kernel of one notebook: started on its first run, cells executed
 * one at a time in the order they were asked for, restart and shutdown.
 * Run All stops at the first failing cell, as in Jupyter; the cells after
 * it are left unrun.
 */
import * as vscode from 'vscode';

import type { ExecuteReply } from '../kernel/kernel_client';
import { KernelSession } from '../kernel/session';
import { CellRun, DisplayRegistry } from './cell_run';

export type KernelState = 'not started' | 'starting' | 'idle' | 'busy' | 'dead';

/** Starts a kernel for a notebook (node, launcher, env, log). */
export type SessionFactory = (
  notebook: vscode.NotebookDocument,
) => Promise<KernelSession>;

export class NotebookKernel {
  private session: Promise<KernelSession> | null = null;
  private started: KernelSession | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly displays = new DisplayRegistry();
  private executionCount = 0;
  private busy = false;
  /** The notebook was closed: nothing starts a kernel again. */
  private disposed = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the state or the banner changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly notebook: vscode.NotebookDocument,
    private readonly startSession: SessionFactory,
    private readonly log: (line: string) => void,
  ) {}

  get state(): KernelState {
    if (this.session === null) return 'not started';
    if (this.started === null) return 'starting';
    if (!this.started.running) return 'dead';
    return this.busy ? 'busy' : 'idle';
  }

  /** The runtime banner of the running kernel, once printed. */
  get banner(): string | null {
    return this.started?.process.banner ?? null;
  }

  get pid(): number | undefined {
    return this.started?.process.pid;
  }

  /** Queues `cells` behind any cells already asked for. */
  execute(
    cells: readonly vscode.NotebookCell[],
    controller: vscode.NotebookController,
  ): Promise<void> {
    // Executions are created now so that every cell shows as pending.
    const executions = cells.map((cell) =>
      controller.createNotebookCellExecution(cell),
    );
    const run = this.queue.then(() => this.runBatch(executions));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** SIGINT to the kernel (each call interrupts again). */
  interrupt(): void {
    this.started?.interrupt();
  }

  /** Ends the kernel and starts a new one; running cells fail. */
  async restart(): Promise<void> {
    await this.shutdown();
    this.executionCount = 0;
    await this.ensureSession();
  }

  /** Ends the kernel (notebook closed, extension deactivated). */
  async shutdown(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.started = null;
    this.displays.clear();
    this.changed.fire();
    if (session === null) return;
    const running = await session.catch(() => null);
    await running?.shutdown();
    this.changed.fire();
  }

  dispose(): void {
    this.disposed = true;
    void this.shutdown();
    this.changed.dispose();
  }

  private ensureSession(): Promise<KernelSession> {
    if (this.disposed) {
      return Promise.reject(new Error('The notebook was closed.'));
    }
    if (this.started !== null && !this.started.running) {
      // The kernel died: release its sockets and connection file.
      void this.started.shutdown();
      this.started = null;
      this.session = null;
    }
    if (this.session !== null) return this.session;
    const session = this.startSession(this.notebook);
    this.session = session;
    this.changed.fire();
    session.then(
      (started) => {
        if (this.session !== session) return;
        this.started = started;
        this.changed.fire();
        void started.process.waitForBanner().then(() => this.changed.fire());
        void started.process.exited.then(() => this.changed.fire());
      },
      () => {
        if (this.session === session) this.session = null;
        this.changed.fire();
      },
    );
    return session;
  }

  private async runBatch(
    executions: vscode.NotebookCellExecution[],
  ): Promise<void> {
    let index = 0;
    try {
      for (; index < executions.length; index++) {
        const execution = executions[index];
        if (this.disposed || execution.token.isCancellationRequested) {
          execution.end(undefined);
          continue;
        }
        const ok = await this.runCell(execution);
        if (!ok) break;
      }
    } finally {
      // Cells after a failure (or after an unexpected fault) stay unrun.
      for (const rest of executions.slice(index + 1)) rest.end(undefined);
    }
  }

  /** Runs one cell; false when it failed or could not run. */
  private async runCell(
    execution: vscode.NotebookCellExecution,
  ): Promise<boolean> {
    execution.executionOrder = ++this.executionCount;
    execution.start(Date.now());
    await execution.clearOutput();
    const run = new CellRun(execution, this.displays, this.log);
    this.busy = true;
    this.changed.fire();
    try {
      const session = await this.ensureSession();
      const code = execution.cell.document.getText();
      const reply = await session.execute(code, (m) => run.handle(m));
      this.applyCount(execution, reply);
      await run.end(
        reply.status === 'abort' ? undefined : reply.status === 'ok',
      );
      return reply.status === 'ok';
    } catch (error) {
      await run.fail(asError(error));
      return false;
    } finally {
      this.busy = false;
      this.changed.fire();
    }
  }

  private applyCount(
    execution: vscode.NotebookCellExecution,
    reply: ExecuteReply,
  ): void {
    if (reply.executionCount === null) return;
    execution.executionOrder = reply.executionCount;
    this.executionCount = reply.executionCount;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
