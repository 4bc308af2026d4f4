/**
 * How the extension starts kernels: the user's Node (found once per
 * `subface.nodePath` value), the launcher shipped in the extension (the
 * kernelspec's), the notebook's folder as working directory and the
 * environment from the settings. Everything the kernel logs goes to the
 * "SubFace Kernel" output channel.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { LAUNCHER } from '../kernels/tslab/kernelspec';
import type { JupyterMessage } from './kernel/kernel_client';
import { KernelSession } from './kernel/session';
import {
  findNode,
  NodeNotFoundError,
  NodeRuntime,
} from './runtime/node_runtime';
import {
  kernelEnvironmentDir,
  kernelProcessEnv,
  readSettings,
  SubfaceSettings,
} from './settings';

export class KernelLauncher {
  private node: { key: string; found: Promise<NodeRuntime> } | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly channel: vscode.OutputChannel,
  ) {}

  settings(scope?: vscode.ConfigurationScope): SubfaceSettings {
    return readSettings(scope);
  }

  /** The folder for extra kernel packages (see subface.kernelEnvironment). */
  environmentDir(settings: SubfaceSettings = readSettings()): string {
    return kernelEnvironmentDir(settings, this.context);
  }

  /** The Node that runs kernels; rejects with NodeNotFoundError. */
  findNode(settings: SubfaceSettings = readSettings()): Promise<NodeRuntime> {
    const key = settings.nodePath;
    if (this.node === null || this.node.key !== key) {
      const found = findNode(key);
      this.node = { key, found };
      found.catch(() => {
        // Look again next time: the user may install Node meanwhile.
        if (this.node?.found === found) this.node = null;
      });
    }
    return this.node.found;
  }

  /** Starts a kernel for `notebook` (the controller's session factory). */
  async start(notebook: vscode.NotebookDocument): Promise<KernelSession> {
    const settings = readSettings(notebook.uri);
    const node = await this.findNode(settings).catch((error: unknown) => {
      if (error instanceof NodeNotFoundError) this.offerSettings(error);
      throw error;
    });
    const name = path.basename(notebook.uri.path);
    const log = (line: string) => this.channel.appendLine(`[${name}] ${line}`);
    log(`starting the kernel with ${node.path} (${node.version})`);
    return KernelSession.start({
      node: node.path,
      launcher: LAUNCHER,
      cwd: notebookFolder(notebook),
      env: kernelProcessEnv(settings, this.environmentDir(settings)),
      log,
      unclaimed: (message) => log(lateOutput(message)),
    });
  }

  private offerSettings(error: NodeNotFoundError): void {
    const open = 'Open Settings';
    void vscode.window
      .showErrorMessage(error.message, open)
      .then((choice) =>
        choice === open
          ? vscode.commands.executeCommand(
              'workbench.action.openSettings',
              'subface.nodePath',
            )
          : undefined,
      );
  }
}

/** Where cells of `notebook` run: its folder, else the workspace's. */
export function notebookFolder(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') {
    return path.dirname(notebook.uri.fsPath);
  }
  const folder =
    vscode.workspace.getWorkspaceFolder(notebook.uri) ??
    vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : os.homedir();
}

/** Output that came after its cell ended (a timer, a late rejection). */
function lateOutput(message: JupyterMessage): string {
  const text = message.content.text ?? message.content.evalue ?? '';
  return `(after its cell ended) ${message.header.msg_type}: ${text}`;
}
