/**
 * The extension's settings (package.json `contributes.configuration`)
 * and the environment a kernel starts with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { childEnv, expandHome } from './runtime/node_runtime';

export const BACKEND_SETTINGS = [
  'auto',
  'cuda',
  'tensorflow',
  'wasm',
  'cpu',
] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

export interface SubfaceSettings {
  /** Empty: discover Node. */
  nodePath: string;
  backend: BackendSetting;
  /** Empty: the extension's global storage. */
  kernelEnvironment: string;
}

export function readSettings(
  scope?: vscode.ConfigurationScope,
): SubfaceSettings {
  const config = vscode.workspace.getConfiguration('subface', scope);
  const backend = config.get<string>('backend', 'auto');
  return {
    nodePath: config.get<string>('nodePath', ''),
    backend: (BACKEND_SETTINGS as readonly string[]).includes(backend)
      ? (backend as BackendSetting)
      : 'auto',
    kernelEnvironment: config.get<string>('kernelEnvironment', ''),
  };
}

/** The folder extra kernel packages (tfjs-node-gpu) are installed in. */
export function kernelEnvironmentDir(
  settings: SubfaceSettings,
  context: vscode.ExtensionContext,
): string {
  const configured = settings.kernelEnvironment.trim();
  if (configured !== '') return path.resolve(expandHome(configured));
  return path.join(context.globalStorageUri.fsPath, 'kernel-environment');
}

/**
 * The kernel's environment: the editor's, without its own variables,
 * with SUBFACE_BACKEND from the setting (unless 'auto') and the kernel
 * environment's node_modules on NODE_PATH. The launcher puts the
 * extension's own node_modules in front, so only packages the extension
 * lacks (tfjs-node-gpu) come from there.
 */
export function kernelProcessEnv(
  settings: SubfaceSettings,
  environmentDir: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env = childEnv(base);
  if (settings.backend !== 'auto') env.SUBFACE_BACKEND = settings.backend;
  const modules = path.join(environmentDir, 'node_modules');
  if (fs.existsSync(modules)) {
    env.NODE_PATH = [modules, base.NODE_PATH]
      .filter(Boolean)
      .join(path.delimiter);
  }
  return env;
}
