/**
 * SubFace Notebooks, the VS Code extension: the "SubFace (TypeScript)"
 * notebook controller, the runtime status bar item, and the commands
 * Open Tutorial, Install Jupyter Kernel, Show Runtime, Enable CUDA and
 * Restart Kernel. The renderers (out/media/renderer.js) are contributed
 * in package.json and run in the output webviews.
 */
import * as vscode from 'vscode';

import { installKernel, InstallKernelArgs } from './commands/kernelspec';
import { openTutorial, OpenTutorialArgs } from './commands/tutorials';
import { CONTROLLER_ID, SubfaceController } from './controller/controller';
import type { NotebookKernel } from './controller/notebook_kernel';
import { KernelLauncher } from './kernel_launcher';
import { RenderedMessage, RendererMessages } from './renderer_messages';
import { announce, enableCuda } from './runtime/cuda';
import { RuntimeStatus } from './runtime/status';

export const OUTPUT_CHANNEL = 'SubFace Kernel';

/** What activate() returns: for other extensions and the e2e tests. */
export interface SubfaceApi {
  controllerId: string;
  /** The kernel of a notebook, if one was asked for. */
  kernelOf(notebook: vscode.NotebookDocument): NotebookKernel | undefined;
  /** Reports of the renderers, as they arrive. */
  rendered: readonly RenderedMessage[];
  waitForRendered(
    matches: (message: RenderedMessage) => boolean,
    timeoutMs: number,
  ): Promise<RenderedMessage>;
}

let controller: SubfaceController | undefined;

export function activate(context: vscode.ExtensionContext): SubfaceApi {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL);
  const log = (line: string) => channel.appendLine(line);
  const launcher = new KernelLauncher(context, channel);
  controller = new SubfaceController((nb) => launcher.start(nb), log);
  const status = new RuntimeStatus(controller, launcher);
  const renderers = new RendererMessages(log);
  context.subscriptions.push(channel, controller, status, renderers);
  registerCommands(context, launcher, controller, status);

  return {
    controllerId: CONTROLLER_ID,
    kernelOf: (notebook) => controller?.kernelOf(notebook),
    rendered: renderers.received,
    waitForRendered: (matches, timeoutMs) =>
      renderers.waitFor(matches, timeoutMs),
  };
}

/** Kernels are ended before the extension host goes away. */
export async function deactivate(): Promise<void> {
  await controller?.shutdownAll();
  controller = undefined;
}

function registerCommands(
  context: vscode.ExtensionContext,
  launcher: KernelLauncher,
  subface: SubfaceController,
  status: RuntimeStatus,
): void {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'subface.openTutorial': (args?: OpenTutorialArgs) =>
      openTutorial(context.extensionPath, args),
    'subface.installKernel': (args?: InstallKernelArgs) =>
      installKernel(launcher, args),
    'subface.showRuntime': () => status.showRuntime(),
    'subface.enableCuda': async () => {
      const result = await enableCuda(launcher);
      announce(result, launcher.channel);
      return result;
    },
    'subface.restartKernel': (target?: vscode.Uri) =>
      restartKernel(subface, target),
  };
  for (const [id, run] of Object.entries(commands)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, reportingErrors(id, run)),
    );
  }
}

/** Restarts the kernel of `target` (default: the active notebook). */
async function restartKernel(
  subface: SubfaceController,
  target?: vscode.Uri,
): Promise<void> {
  const uri = target ?? vscode.window.activeNotebookEditor?.notebook.uri;
  const notebook = vscode.workspace.notebookDocuments.find(
    (nb) => nb.uri.toString() === uri?.toString(),
  );
  if (notebook === undefined) {
    throw new Error('Open a notebook that runs on the SubFace kernel first.');
  }
  await subface.restart(notebook);
}

/** Shows a command's failure to the user, and still rejects for callers. */
function reportingErrors(
  id: string,
  run: (...args: never[]) => unknown,
): (...args: never[]) => Promise<unknown> {
  return async (...args) => {
    try {
      return await run(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`${id}: ${message}`);
      throw error;
    }
  };
}
