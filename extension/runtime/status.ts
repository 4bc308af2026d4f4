/**
 * The status bar item of a notebook that runs on the SubFace kernel (the
 * tfjs backend the kernel chose, from its banner line) and the
 * "SubFace: Show Runtime" command, which shows the whole line with the
 * Node that runs the kernel.
 */
import * as vscode from 'vscode';

import type { SubfaceController } from '../controller/controller';
import type { NotebookKernel } from '../controller/notebook_kernel';
import { backendOfBanner } from '../kernel/kernel_process';
import type { KernelLauncher } from '../kernel_launcher';

/** What Show Runtime reports (also its return value, for tests). */
export interface RuntimeReport {
  /** The kernel's banner line; null when no kernel has printed one. */
  banner: string | null;
  backend: string | null;
  node: string | null;
  nodeVersion: string | null;
  /** Why no Node was found, if so. */
  nodeProblem: string | null;
  backendSetting: string;
  kernelEnvironment: string;
  /** The text shown to the user. */
  message: string;
}

export class RuntimeStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly controller: SubfaceController,
    private readonly launcher: KernelLauncher,
  ) {
    this.item = vscode.window.createStatusBarItem(
      'subface.runtime',
      vscode.StatusBarAlignment.Right,
      100,
    );
    this.item.name = 'SubFace Runtime';
    this.item.command = 'subface.showRuntime';
    this.disposables.push(
      this.item,
      controller.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh()),
    );
    this.refresh();
  }

  /** The kernel of the active notebook, else the only running one. */
  currentKernel(): NotebookKernel | undefined {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const active = notebook && this.controller.kernelOf(notebook);
    if (active !== undefined) return active;
    const running = this.controller.activeKernels;
    return running.length === 1 ? running[0] : undefined;
  }

  refresh(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (notebook === undefined || !this.controller.isSelectedFor(notebook)) {
      this.item.hide();
      return;
    }
    const kernel = this.controller.kernelOf(notebook);
    const banner = kernel?.banner ?? null;
    const state = kernel?.state ?? 'not started';
    if (banner !== null && state !== 'dead') {
      this.item.text = `$(chip) SubFace: ${backendOfBanner(banner)}`;
      this.item.tooltip = banner;
    } else if (state !== 'dead' && state !== 'not started') {
      this.item.text = '$(loading~spin) SubFace: starting';
      this.item.tooltip = 'The kernel is choosing its tfjs backend';
    } else {
      this.item.text = `$(chip) SubFace: ${state}`;
      this.item.tooltip = 'The backend is chosen when the kernel starts';
    }
    this.item.show();
  }

  /** Shows what runs (without waiting for the message to close). */
  async showRuntime(): Promise<RuntimeReport> {
    const settings = this.launcher.settings();
    const report: RuntimeReport = {
      banner: this.currentKernel()?.banner ?? null,
      backend: null,
      node: null,
      nodeVersion: null,
      nodeProblem: null,
      backendSetting: settings.backend,
      kernelEnvironment: this.launcher.environmentDir(settings),
      message: '',
    };
    report.backend = report.banner && backendOfBanner(report.banner);
    try {
      const node = await this.launcher.findNode(settings);
      report.node = node.path;
      report.nodeVersion = node.version;
    } catch (error) {
      report.nodeProblem = (error as Error).message;
    }
    report.message = describe(report);
    const log = 'Open Log';
    const show = report.nodeProblem
      ? vscode.window.showErrorMessage(report.message, log)
      : vscode.window.showInformationMessage(report.message, log);
    void show.then((choice) => {
      if (choice === log) this.launcher.channel.show(true);
    });
    return report;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function describe(report: RuntimeReport): string {
  const kernel =
    report.banner ??
    `No SubFace kernel is running; the backend (setting ` +
      `"${report.backendSetting}") is chosen when one starts.`;
  const node =
    report.nodeProblem ?? `Node ${report.nodeVersion} at ${report.node}.`;
  return `${kernel} ${node}`;
}
