/**
 * Jupyter output messages as VS Code notebook outputs. The metadata
 * follows what VS Code's ipynb serializer reads back when it saves the
 * notebook (outputType, the bundle's metadata), so saved outputs keep
 * their nbformat type.
 */
import * as vscode from 'vscode';

/** A MIME bundle as Jupyter sends it (display_data, execute_result). */
export type MimeBundle = Record<string, unknown>;

/** MIME types whose values are base64 text on the wire. */
const BASE64_MIMES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'application/pdf',
]);

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** nbformat stores long text as a list of lines. */
function joinedText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.join('');
  }
  return null;
}

/** One value of a bundle as an output item. */
export function outputItem(
  mime: string,
  value: unknown,
): vscode.NotebookCellOutputItem {
  const text = joinedText(value);
  if (isJsonMime(mime)) {
    // A JSON string value is already the serialized payload.
    return text !== null
      ? vscode.NotebookCellOutputItem.text(text, mime)
      : vscode.NotebookCellOutputItem.json(value, mime);
  }
  if (text !== null && BASE64_MIMES.has(mime)) {
    return new vscode.NotebookCellOutputItem(Buffer.from(text, 'base64'), mime);
  }
  if (text !== null) return vscode.NotebookCellOutputItem.text(text, mime);
  return vscode.NotebookCellOutputItem.json(value, mime);
}

export function bundleItems(data: MimeBundle): vscode.NotebookCellOutputItem[] {
  return Object.entries(data).map(([mime, value]) => outputItem(mime, value));
}

/** A display_data or execute_result message's content as an output. */
export function displayOutput(
  content: Record<string, unknown>,
  outputType: 'display_data' | 'execute_result',
): vscode.NotebookCellOutput {
  const items = bundleItems((content.data ?? {}) as MimeBundle);
  const metadata: Record<string, unknown> = {
    outputType,
    metadata: content.metadata ?? {},
  };
  if (typeof content.execution_count === 'number') {
    metadata.executionCount = content.execution_count;
  }
  return new vscode.NotebookCellOutput(items, metadata);
}

export type StreamName = 'stdout' | 'stderr';

export function streamItem(
  name: StreamName,
  text: string,
): vscode.NotebookCellOutputItem {
  return name === 'stderr'
    ? vscode.NotebookCellOutputItem.stderr(text)
    : vscode.NotebookCellOutputItem.stdout(text);
}

export function streamOutput(
  name: StreamName,
  text: string,
): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([streamItem(name, text)], {
    outputType: 'stream',
  });
}

/** An IOPub `error` as VS Code's error output (name, message, stack). */
export function errorOutput(
  content: Record<string, unknown>,
): vscode.NotebookCellOutput {
  const name = String(content.ename ?? 'Error');
  const message = String(content.evalue ?? '');
  const traceback = Array.isArray(content.traceback) ? content.traceback : [];
  const error = { name, message, stack: traceback.join('\n') };
  return new vscode.NotebookCellOutput(
    [vscode.NotebookCellOutputItem.error(error)],
    { outputType: 'error', originalError: content },
  );
}

/** An error raised on the extension's side (kernel start, kernel death). */
export function extensionErrorOutput(error: Error): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    [
      vscode.NotebookCellOutputItem.error({
        name: error.name,
        message: error.message,
      }),
    ],
    { outputType: 'error' },
  );
}
