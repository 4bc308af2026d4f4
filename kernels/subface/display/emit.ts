/**
 * Publishing a MIME bundle: inside a tslab kernel as one display_data
 * (or update_display_data) message through the running kernel's own
 * `lastWriteDisplayData`; outside a kernel as the bundle's text/plain
 * printed once to stdout, so nothing is lost silently.
 *
 * NOTE: never `require('tslab')` here. The live writer is a variable of
 * the kernel's copy of tslab/dist/jupyter.js, set at each execute; a
 * second copy resolved from this package answers "Not ready". The
 * running copy is found among the modules already loaded.
 */
import { MimeBundle, TEXT_MIME } from './bundle';

/** tslab's writer: (display_data content, update?) -> sends it. */
export type WriteDisplayData = (bundle: object, update: boolean) => void;

interface JupyterModule {
  lastWriteDisplayData: WriteDisplayData | null;
}

/** What a cell sees as `globalThis.__tslab__` inside a tslab kernel. */
interface TslabGlobal {
  require?: (id: string) => unknown;
}

const JUPYTER_FILE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

function isLive(exports: unknown): exports is JupyterModule {
  const writer = (exports as Partial<JupyterModule> | undefined)
    ?.lastWriteDisplayData;
  return typeof writer === 'function';
}

/** The loaded jupyter.js whose writer is set (the running kernel's). */
function scanRequireCache(): JupyterModule | null {
  for (const [file, module] of Object.entries(require.cache)) {
    if (JUPYTER_FILE.test(file) && isLive(module?.exports)) {
      return module?.exports as JupyterModule;
    }
  }
  return null;
}

/**
 * Through the kernel's own require: its public module's file, then the
 * jupyter.js beside it (already loaded by the kernel).
 */
function fromTslabGlobal(): JupyterModule | null {
  const tslab = (globalThis as { __tslab__?: TslabGlobal }).__tslab__;
  let publicModule: unknown;
  try {
    publicModule = tslab?.require?.('tslab');
  } catch {
    return null;
  }
  if (publicModule === undefined) return null;
  for (const [file, module] of Object.entries(require.cache)) {
    if (module?.exports !== publicModule) continue;
    const sibling = file.replace(/[^\\/]+$/, 'jupyter.js');
    const exports = require.cache[sibling]?.exports;
    if (isLive(exports)) return exports;
  }
  return null;
}

/** The running tslab kernel's jupyter module, or null outside one. */
export function findKernel(): JupyterModule | null {
  return scanRequireCache() ?? fromTslabGlobal();
}

/** True inside a tslab kernel that is executing (or has executed) a cell. */
export function inKernel(): boolean {
  return findKernel() !== null;
}

export interface EmitOptions {
  /** Names the output so later emits can replace it in place. */
  displayId?: string;
  /** Replace the output named displayId (update_display_data). */
  update?: boolean;
}

export type EmitTarget = 'kernel' | 'stdout';

/** Binary values (png) as base64: tslab's writer sends values as given. */
function wireData(data: MimeBundle['data']): MimeBundle['data'] {
  const wire: MimeBundle['data'] = {};
  for (const [mime, value] of Object.entries(data)) {
    wire[mime] =
      value instanceof Uint8Array
        ? Buffer.from(value).toString('base64')
        : value;
  }
  return wire;
}

/**
 * Publishes `bundle`. Inside a kernel: one display_data message (or
 * update_display_data with `update`), returns 'kernel'. Outside: writes
 * the text/plain form to stdout once and returns 'stdout'.
 */
export function emitBundle(
  bundle: MimeBundle,
  options: EmitOptions = {},
): EmitTarget {
  const { displayId, update = false } = options;
  if (update && displayId === undefined) {
    throw new Error(
      'emitBundle: update must come with a displayId, but got none',
    );
  }
  const kernel = findKernel();
  if (kernel === null) {
    const text = String(bundle.data[TEXT_MIME] ?? '(no text/plain form)');
    process.stdout.write(`${text}\n`);
    return 'stdout';
  }
  const message = {
    data: wireData(bundle.data),
    metadata: bundle.metadata,
    transient: displayId === undefined ? {} : { display_id: displayId },
  };
  (kernel.lastWriteDisplayData as WriteDisplayData)(message, update);
  return 'kernel';
}

/**
 * Set on a bundle that a kernel has shown as an output. The kernel does
 * not echo such a value when it ends a cell (as IPython's display()
 * returns None): the plot shows once, with no text line after it.
 */
export const SHOWN_IN_KERNEL = Symbol.for('subface.shownInKernel');

/** Whether `value` is a bundle already shown as a kernel output. */
export function shownInKernel(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [SHOWN_IN_KERNEL]?: boolean })[SHOWN_IN_KERNEL] === true
  );
}

let counter = 0;

/** A display id unique to this process. */
export function newDisplayId(prefix = 'subface'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
