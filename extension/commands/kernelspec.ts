/**
 * "SubFace: Install Jupyter Kernel": registers the same kernel with
 * Jupyter (JupyterLab, Notebook, the Jupyter extension) by running
 * `subface kernel install` with the user's Node, so the kernelspec names
 * that Node and the launcher inside this extension by absolute path.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';

import type { KernelLauncher } from '../kernel_launcher';

/** Arguments for calls from code (tests): a prefix, no questions. */
export interface InstallKernelArgs {
  /** Install into `<prefix>/share/jupyter/kernels`. */
  prefix?: string;
}

export interface InstalledKernel {
  name: string;
  /** The kernelspec folder. */
  dir: string;
  spec: { argv: string[]; display_name: string };
}

type Location = { kind: 'user' } | { kind: 'prefix'; dir: string };

async function askLocation(): Promise<Location | undefined> {
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

function runCli(node: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(node, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      const why = String(stderr).trim() || error.message;
      reject(new Error(`subface kernel install failed: ${why}`));
    });
  });
}

/** Runs the command; resolves with what was installed (or undefined). */
export async function installKernel(
  launcher: KernelLauncher,
  args: InstallKernelArgs = {},
): Promise<InstalledKernel | undefined> {
  const location: Location | undefined =
    args.prefix !== undefined
      ? { kind: 'prefix', dir: args.prefix }
      : await askLocation();
  if (location === undefined) return undefined;
  const node = await launcher.findNode();
  const where =
    location.kind === 'user' ? ['--user'] : ['--prefix', location.dir];
  const stdout = await runCli(node.path, [
    launcher.cli,
    '--json',
    'kernel',
    'install',
    ...where,
    '--node',
    node.path,
  ]);
  const installed = JSON.parse(stdout.trim()) as InstalledKernel;
  launcher.channel.appendLine(
    `[Install Jupyter Kernel] '${installed.name}' in ${installed.dir}`,
  );
  void vscode.window.showInformationMessage(
    `Installed the Jupyter kernel "${installed.spec.display_name}" in ` +
      `${installed.dir}. It runs ${node.path} (${node.version}).`,
  );
  return installed;
}
