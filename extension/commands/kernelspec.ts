/**
 * "SubFace: Install Jupyter Kernel": registers the same kernel with
 * Jupyter (JupyterLab, Notebook, the Jupyter extension) as
 * `subface kernel install --node` does: the kernelspec names the user's
 * Node and the launcher inside this extension by absolute path.
 */
import * as vscode from 'vscode';

import {
  installKernelSpec,
  SpecLocation,
} from '../../kernels/tslab/kernelspec';
import type { KernelLauncher } from '../kernel_launcher';

/** Arguments for calls from code (tests): a prefix, no questions. */
export interface InstallKernelArgs {
  /** Install into `<prefix>/share/jupyter/kernels`. */
  prefix?: string;
}

export type InstalledKernel = ReturnType<typeof installKernelSpec>;

async function askLocation(): Promise<SpecLocation | undefined> {
  const user = {
    label: 'For this user',
    description: 'Jupyter finds it everywhere (user data folder)',
  };
  const prefix = {
    label: 'Into a prefix folder...',
    description: '<folder>/share/jupyter/kernels',
  };
  const picked = await vscode.window.showQuickPick([user, prefix], {
    title: 'SubFace: Install Jupyter Kernel',
  });
  if (picked === user) return { kind: 'user' };
  if (picked !== prefix) return undefined;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Install Here',
  });
  return chosen ? { kind: 'prefix', dir: chosen[0].fsPath } : undefined;
}

/** Runs the command; resolves with what was installed (or undefined). */
export async function installKernel(
  launcher: KernelLauncher,
  args: InstallKernelArgs = {},
): Promise<InstalledKernel | undefined> {
  const location: SpecLocation | undefined =
    args.prefix !== undefined
      ? { kind: 'prefix', dir: args.prefix }
      : await askLocation();
  if (location === undefined) return undefined;
  const node = await launcher.findNode();
  const installed = installKernelSpec({ location, node: node.path });
  launcher.channel.appendLine(
    `[Install Jupyter Kernel] '${installed.name}' in ${installed.dir}`,
  );
  void vscode.window.showInformationMessage(
    `Installed the Jupyter kernel "${installed.spec.display_name}" in ` +
      `${installed.dir}. It runs ${node.path} (${node.version}).`,
  );
  return installed;
}
