/**
 * A failed cell as a Jupyter error (ename, evalue, traceback), built from
 * what tslab's executor reports: TypeScript diagnostics, or the value a
 * cell threw (synchronously, as a rejected top-level await, or as an
 * interrupt). tslab itself only prints these to stderr.
 */
import * as util from 'node:util';

import type { Diagnostic } from 'tslab/dist/converter';

/** The content of an IOPub `error` message. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** The name a failed type-check is reported under. */
export const TYPE_ERROR_NAME = 'TSError';

/** The format string tslab's executor prints each diagnostic with. */
export const DIAGNOSTIC_FORMAT = '%s%d:%d - %s';

const CATEGORIES = ['warning', 'error', 'suggestion', 'message'];

/** `line:col - error TS2322: message`, 1-based, tslab's order. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { start, fileName, category, code, messageText } = diagnostic;
  const where =
    `${fileName ? `${fileName} ` : ''}${start.line + 1}:` +
    `${start.character + 1}`;
  const kind = CATEGORIES[category] ?? 'error';
  return `${where} - ${kind} TS${code}: ${messageText}`;
}

/** The cell's line under a diagnostic, with carets under its span. */
function sourceExcerpt(diagnostic: Diagnostic, source: string): string[] {
  if (diagnostic.fileName) return [];
  const { start, end } = diagnostic;
  const line = source.split('\n')[start.line];
  if (line === undefined) return [];
  const last = end.line === start.line ? end.character : line.length;
  const width = Math.max(1, last - start.character);
  return [
    `    ${line}`,
    `    ${' '.repeat(start.character)}${'^'.repeat(width)}`,
  ];
}

/** A failed type-check: every diagnostic, with the cell's line. */
export function diagnosticsError(
  diagnostics: readonly Diagnostic[],
  source: string,
): CellError {
  const lines = diagnostics.map(formatDiagnostic);
  const more =
    diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : '';
  return {
    ename: TYPE_ERROR_NAME,
    evalue: `${lines[0]}${more}`,
    traceback: diagnostics.flatMap((d, i) => [
      lines[i],
      ...sourceExcerpt(d, source),
    ]),
  };
}

interface ErrorLike {
  name: string;
  message: string;
  stack?: string;
  cause?: unknown;
}

function isErrorLike(value: unknown): value is ErrorLike {
  const e = value as ErrorLike | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.message === 'string' &&
    typeof e.name === 'string'
  );
}

/**
 * Stack frames of the kernel's own machinery (tslab's executor, Node's
 * internals) say nothing about the cell; they are left out.
 */
function isKernelFrame(line: string, hiddenDirs: readonly string[]): boolean {
  if (!/^\s+at /.test(line)) return false;
  if (/[ (]node:/.test(line)) return true;
  return hiddenDirs.some((dir) => line.includes(dir));
}

/**
 * Node prefixes the stack of an error thrown synchronously by a script
 * with the script's line and a caret: of the compiled JavaScript, not of
 * the cell, so it would mislead. The blank line ends that prefix.
 */
function withoutScriptPrefix(lines: string[]): string[] {
  if (!/^evalmachine\.<anonymous>:\d+$/.test(lines[0] ?? '')) return lines;
  const blank = lines.indexOf('');
  return blank < 0 ? lines : lines.slice(blank + 1);
}

function stackLines(error: ErrorLike, hiddenDirs: readonly string[]) {
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  return withoutScriptPrefix(stack.split('\n')).filter(
    (line) => !isKernelFrame(line, hiddenDirs),
  );
}

/**
 * A thrown value: an Error keeps its name, message and stack (with its
 * causes); anything else is shown as Node inspects it.
 * @param hiddenDirs folders whose stack frames are dropped
 */
export function thrownError(
  value: unknown,
  hiddenDirs: readonly string[] = [],
): CellError {
  if (!isErrorLike(value)) {
    const shown = util.inspect(value);
    return {
      ename: 'Uncaught',
      evalue: shown,
      traceback: [`Uncaught ${shown}`],
    };
  }
  const traceback = stackLines(value, hiddenDirs);
  const seen = new Set<unknown>([value]);
  for (let cause = value.cause; isErrorLike(cause) && !seen.has(cause);) {
    seen.add(cause);
    const [first, ...rest] = stackLines(cause, hiddenDirs);
    traceback.push(`Caused by: ${first}`, ...rest);
    cause = cause.cause;
  }
  return { ename: value.name, evalue: value.message, traceback };
}
