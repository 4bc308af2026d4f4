/**
 * code-server for one test run: a fresh profile (user data, extensions,
 * XDG folders) with settings that keep runs independent, the server on
 * a free loopback port in its own process group, and URLs that open a
 * folder, optionally with an extension under development and its tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

import { CODE_SERVER } from './environment';

/** User settings of every run. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  // VS Code in the browser saves after a delay by default: executed
  // outputs would be written into the notebooks under test.
  'files.autoSave': 'off',
};

export interface Profile {
  root: string;
  /** Whether workspace trust is on (see createProfile). */
  trustWorkspaces: boolean;
  userData: string;
  extensions: string;
  /** XDG_* and TMPDIR for the server and the browser. */
  env: NodeJS.ProcessEnv;
  serverLog: string;
}

/**
 * A fresh profile under `root`. `trustWorkspaces` turns VS Code's
 * workspace trust on: a folder then opens in restricted mode.
 */
export function createProfile(root: string, trustWorkspaces = false): Profile {
  const userData = path.join(root, 'data');
  const xdg = path.join(root, 'xdg');
  const env: NodeJS.ProcessEnv = {
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
  };
  for (const dir of Object.values(env)) fs.mkdirSync(dir!, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...SETTINGS,
        'security.workspace.trust.enabled': trustWorkspaces,
      },
      null,
      2,
    ),
  );
  return {
    root,
    trustWorkspaces,
    userData,
    extensions: path.join(root, 'extensions'),
    env,
    serverLog: path.join(root, 'code-server.log'),
  };
}

/** Installs a VSIX into the profile's extensions folder. */
export function installVsix(profile: Profile, vsix: string): void {
  const run = spawnSync(
    CODE_SERVER,
    [
      '--user-data-dir',
      profile.userData,
      '--extensions-dir',
      profile.extensions,
      '--install-extension',
      vsix,
    ],
    { encoding: 'utf8', env: { ...process.env, ...profile.env } },
  );
  if (run.status !== 0) {
    throw new Error(`installing ${vsix} failed:\n${run.stdout}${run.stderr}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`http://127.0.0.1:${port}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(1000, () => request.destroy());
  });
}

export interface CodeServer {
  port: number;
  /** The workbench opening `folder`; `payload` as VS Code's URL takes it. */
  url(folder: string, payload?: [string, string][]): string;
  /** A path on the server machine as the workbench's remote URI. */
  remoteUri(file: string): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function startCodeServer(
  profile: Profile,
  env: NodeJS.ProcessEnv = {},
): Promise<CodeServer> {
  const port = await freePort();
  const log = fs.openSync(profile.serverLog, 'a');
  const args = [
    '--auth=none',
    `--bind-addr=127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    `--user-data-dir=${profile.userData}`,
    `--extensions-dir=${profile.extensions}`,
  ];
  if (!profile.trustWorkspaces) args.push('--disable-workspace-trust');
  // A process group of its own: stop() ends the server and its helpers.
  const child = spawn(CODE_SERVER, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...profile.env, ...env },
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  const stop = async () => {
    signalGroup(child.pid, 'SIGTERM');
    const gone = await Promise.race([exited.then(() => true), delay(5000)]);
    if (!gone) signalGroup(child.pid, 'SIGKILL');
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await healthy(port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      const tail = fs.readFileSync(profile.serverLog, 'utf8').slice(-2000);
      throw new Error(`code-server did not start:\n${tail}`);
    }
    await delay(200);
  }
  const host = `127.0.0.1:${port}`;
  const remoteUri = (file: string) => `vscode-remote://${host}${file}`;
  return {
    port,
    remoteUri,
    url(folder, payload) {
      let url = `http://${host}/?folder=${encodeURIComponent(folder)}`;
      if (payload)
        url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    stop,
  };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has already ended.
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The folder of an installed extension (`publisher.name`) in the profile. */
export function installedExtensionDir(profile: Profile, id: string): string {
  const names = fs.existsSync(profile.extensions)
    ? fs.readdirSync(profile.extensions)
    : [];
  const name = names.find((n) => n.toLowerCase().startsWith(`${id}-`));
  if (name === undefined) {
    throw new Error(`${id} is not installed in ${profile.extensions}`);
  }
  return path.join(profile.extensions, name);
}
