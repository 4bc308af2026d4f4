/**
 * The "SubFace (TypeScript)" notebook controller for Jupyter notebooks:
 * preferred for notebooks saved with the `subface` kernelspec, one
 * kernel per notebook, started on the first run and shut down when the
 * notebook closes or another kernel is picked. No kernel starts in an
 * untrusted workspace.
 */
import * as vscode from 'vscode';

import {
  DEFAULT_KERNEL_NAME,
  DISPLAY_NAME,
} from '../../kernels/tslab/kernelspec';
import { NotebookKernel, SessionFactory } from './notebook_kernel';

export const CONTROLLER_ID = 'subface-kernel';
export const NOTEBOOK_TYPE = 'jupyter-notebook';

export const UNTRUSTED_MESSAGE =
  'SubFace starts no kernel in an untrusted workspace: cells run code ' +
  'from this folder. Trust the workspace (Workspaces: Manage Workspace ' +
  'Trust) to run them.';

interface JupyterMetadata {
  kernelspec?: { name?: string };
}

/** The notebook's Jupyter metadata, wherever this VS Code keeps it. */
function jupyterMetadata(notebook: vscode.NotebookDocument): JupyterMetadata {
  const metadata = notebook.metadata as {
    metadata?: JupyterMetadata;
    custom?: { metadata?: JupyterMetadata };
  };
  return metadata.metadata ?? metadata.custom?.metadata ?? {};
}

/**
 * Whether the notebook was saved with this kernel. Other TypeScript
 * notebooks (tslab, Deno) can pick it, but are not steered to it.
 */
function prefersSubface(notebook: vscode.NotebookDocument): boolean {
  return jupyterMetadata(notebook).kernelspec?.name === DEFAULT_KERNEL_NAME;
}

export class SubfaceController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly kernels = new Map<string, NotebookKernel>();
  private readonly selected = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires when a kernel starts, stops, or prints its banner. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly startSession: SessionFactory,
    private readonly log: (line: string) => void,
  ) {
    const controller = vscode.notebooks.createNotebookController(
      CONTROLLER_ID,
      NOTEBOOK_TYPE,
      DISPLAY_NAME,
    );
    controller.supportedLanguages = ['typescript', 'javascript'];
    controller.supportsExecutionOrder = true;
    controller.description = 'tslab with the SubFace library';
    controller.executeHandler = (cells, notebook) =>
      this.execute(cells, notebook);
    controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.controller = controller;

    this.disposables.push(
      controller,
      this.changed,
      controller.onDidChangeSelectedNotebooks(({ notebook, selected }) =>
        this.onSelection(notebook, selected),
      ),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.prefer(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.close(nb)),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.prefer(nb));
  }

  /** The kernel of a notebook, if one was asked for. */
  kernelOf(notebook: vscode.NotebookDocument): NotebookKernel | undefined {
    return this.kernels.get(notebook.uri.toString());
  }

  isSelectedFor(notebook: vscode.NotebookDocument): boolean {
    return this.selected.has(notebook.uri.toString());
  }

  /** Every kernel that is running or starting. */
  get activeKernels(): NotebookKernel[] {
    return [...this.kernels.values()].filter((k) => k.state !== 'not started');
  }

  interrupt(notebook: vscode.NotebookDocument): void {
    this.kernelOf(notebook)?.interrupt();
  }

  /** Restarts the notebook's kernel (starts one if none ran yet). */
  restart(notebook: vscode.NotebookDocument): Promise<void> {
    return this.kernelFor(notebook).restart();
  }

  dispose(): void {
    for (const kernel of this.kernels.values()) kernel.dispose();
    this.kernels.clear();
    for (const d of this.disposables) d.dispose();
  }

  /** Ends every kernel and waits for them (deactivation). */
  async shutdownAll(): Promise<void> {
    await Promise.all([...this.kernels.values()].map((k) => k.shutdown()));
  }

  private kernelFor(notebook: vscode.NotebookDocument): NotebookKernel {
    const key = notebook.uri.toString();
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      kernel = new NotebookKernel(notebook, this.startSession, this.log);
      kernel.onDidChange(() => this.changed.fire());
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  private async execute(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
  ): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.refuse(cells);
    await this.kernelFor(notebook).execute(cells, this.controller);
  }

  /** Marks the cells failed with the reason; starts nothing. */
  private async refuse(cells: vscode.NotebookCell[]): Promise<void> {
    for (const [index, cell] of cells.entries()) {
      const execution = this.controller.createNotebookCellExecution(cell);
      execution.start(Date.now());
      if (index === 0) {
        const error = new Error(UNTRUSTED_MESSAGE);
        error.name = 'UntrustedWorkspace';
        await execution.replaceOutput(
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.error(error),
          ]),
        );
      }
      execution.end(index === 0 ? false : undefined, Date.now());
    }
  }

  private prefer(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    if (!prefersSubface(notebook)) return;
    this.controller.updateNotebookAffinity(
      notebook,
      vscode.NotebookControllerAffinity.Preferred,
    );
  }

  private onSelection(
    notebook: vscode.NotebookDocument,
    selected: boolean,
  ): void {
    const key = notebook.uri.toString();
    if (selected) {
      this.selected.add(key);
    } else {
      this.selected.delete(key);
      // Another kernel was picked: this one has nothing left to do.
      void this.close(notebook);
    }
    this.changed.fire();
  }

  private async close(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const kernel = this.kernels.get(key);
    this.selected.delete(key);
    if (kernel === undefined) return;
    this.kernels.delete(key);
    await kernel.shutdown();
    kernel.dispose();
    this.changed.fire();
  }
}
