/**
 * What a kernel interrupt (SIGINT) does.
 *
 * tslab alone stops a synchronous loop (the cell runs with
 * breakOnSigint) but only abandons asynchronous code: the cell reports
 * an error at once while its loop keeps running in the background. For
 * training, the kernel does better: every running `Trainer.fit` is asked
 * to stop at its next step boundary and the cell is left to finish by
 * itself, so `fit` resolves with reason 'stopped' and the model, class
 * centres and optimizer stay consistent. The interrupted cell is marked
 * (through its async context), so a loop in it that calls `fit` again
 * gets FitInterruptedError and the cell ends. When no fit was running,
 * or on a second interrupt of the same cell, tslab's own interrupt runs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import {
  setFitInterruptCheck,
  stopRunningFits,
} from '../subface/train/fit_registry';

interface CellState {
  controller: AbortController;
  /** Running fits were asked to stop during this cell. */
  stoppingFits: boolean;
}

export type InterruptAction = 'idle' | 'fits' | 'cell';

export class InterruptHandler {
  private readonly scope = new AsyncLocalStorage<CellState>();
  private current: CellState | null = null;

  /** @param interruptCell tslab's interrupt of the running cell */
  constructor(private readonly interruptCell: () => void) {
    setFitInterruptCheck(
      () => this.scope.getStore()?.controller.signal.aborted ?? false,
    );
  }

  /** Runs one cell; code it starts can tell whether it was interrupted. */
  async runCell<T>(run: () => Promise<T>): Promise<T> {
    const cell = { controller: new AbortController(), stoppingFits: false };
    this.current = cell;
    try {
      return await this.scope.run(cell, run);
    } finally {
      if (this.current === cell) this.current = null;
    }
  }

  /**
   * Handles one SIGINT; returns what it did: 'fits' (running fits asked
   * to stop, the cell finishes by itself), 'cell' (tslab's interrupt) or
   * 'idle' (no cell was running; background fits were asked to stop).
   */
  interrupt(): InterruptAction {
    const stopped = stopRunningFits();
    const cell = this.current;
    if (cell === null) return 'idle';
    cell.controller.abort();
    if (stopped > 0 && !cell.stoppingFits) {
      cell.stoppingFits = true;
      return 'fits';
    }
    this.interruptCell();
    return 'cell';
  }

  /** Removes the interrupt check from the trainer. */
  close(): void {
    setFitInterruptCheck(null);
  }
}
