/**
 * One cell's execution: turns the kernel's IOPub messages into outputs
 * of a NotebookCellExecution, in the order they arrived. Consecutive
 * stream text of one name goes into one output; `update_display_data`
 * replaces the items of the output that showed the display id, in place
 * (live training progress), and a burst of updates is applied as one.
 */
import * as vscode from 'vscode';

import type { JupyterMessage } from '../kernel/kernel_client';
import {
  bundleItems,
  displayOutput,
  errorOutput,
  extensionErrorOutput,
  MimeBundle,
  StreamName,
  streamItem,
  streamOutput,
} from './outputs';

/** Where the outputs of each display id are, among running cells. */
export class DisplayRegistry {
  private readonly outputs = new Map<string, DisplayedOutput[]>();

  add(displayId: string, shown: DisplayedOutput): void {
    const list = this.outputs.get(displayId) ?? [];
    list.push(shown);
    this.outputs.set(displayId, list);
  }

  get(displayId: string): DisplayedOutput[] {
    return this.outputs.get(displayId) ?? [];
  }

  /** Forgets the outputs of one run (its outputs were cleared). */
  forgetRun(run: CellRun): void {
    for (const [id, list] of this.outputs) {
      const kept = list.filter((shown) => shown.run !== run);
      if (kept.length > 0) this.outputs.set(id, kept);
      else this.outputs.delete(id);
    }
  }

  clear(): void {
    this.outputs.clear();
  }
}

export interface DisplayedOutput {
  run: CellRun;
  output: vscode.NotebookCellOutput;
}

export class CellRun {
  private writes: Promise<void> = Promise.resolve();
  private lastStream: {
    name: StreamName;
    output: vscode.NotebookCellOutput;
  } | null = null;
  private clearBeforeNextOutput = false;
  private ended = false;
  /** Newest items per display id, not yet applied. */
  private readonly pendingUpdates = new Map<string, MimeBundle>();

  constructor(
    readonly execution: vscode.NotebookCellExecution,
    private readonly displays: DisplayRegistry,
    private readonly log: (line: string) => void,
  ) {}

  /** Handles one IOPub message of this cell's request. */
  handle(message: JupyterMessage): void {
    const content = message.content;
    switch (message.header.msg_type) {
      case 'execute_input':
        if (typeof content.execution_count === 'number') {
          this.execution.executionOrder = content.execution_count;
        }
        return;
      case 'stream':
        return this.stream(content.name as StreamName, String(content.text));
      case 'display_data':
        return this.display(content, 'display_data');
      case 'execute_result':
        return this.display(content, 'execute_result');
      case 'update_display_data':
        return this.update(content);
      case 'error':
        return this.append(errorOutput(content));
      case 'clear_output':
        return this.clear(content.wait === true);
      default:
        this.log(`(ignored ${message.header.msg_type} message)`);
    }
  }

  /** Waits for every output write, then ends the execution. */
  async end(success: boolean | undefined): Promise<void> {
    await this.writes;
    if (this.ended) return;
    this.ended = true;
    this.displays.forgetRun(this);
    this.execution.end(success, Date.now());
  }

  /** Shows an error of the extension's side (no kernel), then ends. */
  async fail(error: Error): Promise<void> {
    this.append(extensionErrorOutput(error));
    await this.end(false);
  }

  /** Queues an edit of this execution's outputs after the earlier ones. */
  private queue(write: () => Thenable<void> | void): void {
    this.writes = this.writes
      .then(async () => {
        if (!this.ended) await write();
      })
      .catch((error: unknown) => this.log(`output update failed: ${error}`));
  }

  private stream(name: StreamName, text: string): void {
    this.clearIfAsked();
    const last = this.lastStream;
    if (last !== null && last.name === name) {
      this.queue(() =>
        this.execution.appendOutputItems(streamItem(name, text), last.output),
      );
      return;
    }
    const output = streamOutput(name, text);
    this.append(output);
    this.lastStream = { name, output };
  }

  private display(
    content: Record<string, unknown>,
    outputType: 'display_data' | 'execute_result',
  ): void {
    const output = displayOutput(content, outputType);
    const displayId = displayIdOf(content);
    if (displayId !== null) {
      this.displays.add(displayId, { run: this, output });
    }
    this.append(output);
  }

  private append(output: vscode.NotebookCellOutput): void {
    this.clearIfAsked();
    this.lastStream = null;
    this.queue(() => this.execution.appendOutput(output));
  }

  private update(content: Record<string, unknown>): void {
    const displayId = displayIdOf(content);
    if (displayId === null) return;
    const known = this.pendingUpdates.has(displayId);
    this.pendingUpdates.set(displayId, (content.data ?? {}) as MimeBundle);
    if (known) return;
    this.queue(() => this.applyUpdate(displayId));
  }

  private async applyUpdate(displayId: string): Promise<void> {
    const data = this.pendingUpdates.get(displayId);
    this.pendingUpdates.delete(displayId);
    if (data === undefined) return;
    const shown = this.displays.get(displayId);
    if (shown.length === 0) {
      // Ended cells cannot change their outputs any more.
      this.log(
        `display ${displayId}: no running cell shows it; update dropped`,
      );
    }
    for (const { run, output } of shown) {
      await run.execution.replaceOutputItems(bundleItems(data), output);
    }
  }

  private clear(wait: boolean): void {
    if (wait) {
      this.clearBeforeNextOutput = true;
      return;
    }
    this.clearNow();
  }

  private clearIfAsked(): void {
    if (!this.clearBeforeNextOutput) return;
    this.clearBeforeNextOutput = false;
    this.clearNow();
  }

  private clearNow(): void {
    this.lastStream = null;
    this.displays.forgetRun(this);
    this.queue(() => this.execution.clearOutput());
  }
}

function displayIdOf(content: Record<string, unknown>): string | null {
  const transient = content.transient as { display_id?: unknown } | undefined;
  const id = transient?.display_id;
  return typeof id === 'string' && id !== '' ? id : null;
}
