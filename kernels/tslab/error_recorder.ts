/**
 * Collects what tslab's executor reports while one cell runs, and turns
 * it into that cell's error. The executor is given `console` as its
 * console: it prints diagnostics and thrown values there, and the kernel
 * sends them to the client as an `error` message instead; a cell's last
 * value is printed there too.
 */
import * as util from 'node:util';

import type { Diagnostic } from 'tslab/dist/converter';

import { shownInKernel } from '../subface/display/emit';
import {
  CellError,
  DIAGNOSTIC_FORMAT,
  diagnosticsError,
  thrownError,
} from './cell_errors';

export interface CellReport {
  /** The cell's error, or null when it succeeded. */
  error: CellError | null;
  /** Text the executor printed that is not part of the error. */
  stderr: string;
}

export class ErrorRecorder {
  private calls: unknown[][] = [];
  private diagnostics: readonly Diagnostic[] = [];

  /** @param hiddenDirs folders whose stack frames errors leave out */
  constructor(private readonly hiddenDirs: readonly string[]) {}

  /**
   * The console handed to tslab's executor. Its `log` prints a cell's
   * last value, except a bundle `sf.show.*` already put on screen.
   */
  readonly console = {
    log: (...args: unknown[]) => {
      if (args.length === 1 && shownInKernel(args[0])) return;
      console.log(...args);
    },
    error: (...args: unknown[]) => {
      this.calls.push(args);
    },
  };

  /** Forgets the previous cell. */
  begin(): void {
    this.calls = [];
    this.diagnostics = [];
  }

  /** Keeps the diagnostics of the cell's latest type-check. */
  noteDiagnostics(diagnostics: readonly Diagnostic[]): void {
    this.diagnostics = diagnostics;
  }

  /**
   * The cell's outcome. A failed cell's error comes from its diagnostics
   * or else from the last value the executor printed alone (a throw).
   */
  finish(ok: boolean, source: string): CellReport {
    const printed = this.calls.filter((args) => !this.isPartOfError(ok, args));
    const stderr = printed.map((args) => `${util.format(...args)}\n`).join('');
    if (ok) return { error: null, stderr };
    if (this.diagnostics.length > 0) {
      return { error: diagnosticsError(this.diagnostics, source), stderr };
    }
    const thrown = this.calls.filter((args) => args.length === 1).pop();
    const error = thrown
      ? thrownError(thrown[0], this.hiddenDirs)
      : { ename: 'Error', evalue: 'the cell failed', traceback: [] };
    return { error, stderr };
  }

  private isPartOfError(ok: boolean, args: unknown[]): boolean {
    if (ok) return false;
    if (args[0] === DIAGNOSTIC_FORMAT) return this.diagnostics.length > 0;
    return args.length === 1;
  }
}
