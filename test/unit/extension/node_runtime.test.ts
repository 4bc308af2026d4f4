/**
 * How the extension finds the Node that runs kernels: the setting (checked
 * and explained when wrong), else PATH, nvm, Volta and fnm folders, never
 * a Node older than 20; and the environment its children get. Stand-in
 * executables print a chosen version, as `node --version` does.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import {
  childEnv,
  findNode,
  NodeNotFoundError,
} from '../../../extension/runtime/node_runtime';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-node-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** An executable at `dir/node` that prints `version`. */
function fakeNode(dir: string, version: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'node');
  fs.writeFileSync(file, `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return file;
}

/** An environment whose search folders are all under `base`. */
function isolatedEnv(base: string, pathDirs: string[]): NodeJS.ProcessEnv {
  return {
    PATH: pathDirs.join(path.delimiter),
    NVM_DIR: path.join(base, 'nvm'),
    VOLTA_HOME: path.join(base, 'volta'),
    FNM_DIR: path.join(base, 'fnm'),
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected a NodeNotFoundError');
}

describe('findNode with subface.nodePath set', () => {
  it('uses the configured Node and reports its version', async () => {
    const node = fakeNode(path.join(root, 'configured'), 'v22.3.0');
    const found = await findNode(node, {});
    assert.deepEqual(found, {
      path: node,
      version: 'v22.3.0',
      source: 'setting',
    });
  });

  it('explains each wrong value, with what to install', async () => {
    const old = fakeNode(path.join(root, 'old'), 'v18.19.0');
    const silent = path.join(root, 'silent', 'node');
    fs.mkdirSync(path.dirname(silent));
    fs.writeFileSync(silent, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const plain = path.join(root, 'plain-file');
    fs.writeFileSync(plain, 'not a program');
    const cases: [string, RegExp][] = [
      ['bin/node', /must be an absolute path/],
      [plain, /not an executable file/],
      [silent, /does not run as node --version/],
      [old, /it is v18\.19\.0 and the kernel needs 20\+/],
    ];
    for (const [value, why] of cases) {
      const error = await rejection(findNode(value, {}));
      assert.ok(error instanceof NodeNotFoundError, value);
      assert.match(error.message, why);
      assert.match(error.message, /"subface\.nodePath"/);
      assert.match(error.message, /Install Node\.js 20 or later/);
    }
  });
});

describe('findNode without the setting', () => {
  it('skips a Node older than 20 on PATH and takes the newest nvm one', async () => {
    const base = path.join(root, 'search');
    const oldDir = path.join(base, 'path-bin');
    fakeNode(oldDir, 'v16.20.2');
    const versions = path.join(base, 'nvm', 'versions', 'node');
    fakeNode(path.join(versions, 'v20.9.0', 'bin'), 'v20.9.0');
    const newest = fakeNode(path.join(versions, 'v22.11.0', 'bin'), 'v22.11.0');
    const found = await findNode('', isolatedEnv(base, [oldDir]));
    assert.deepEqual(found, {
      path: newest,
      version: 'v22.11.0',
      source: 'nvm',
    });
  });

  it('prefers PATH over the version managers', async () => {
    const base = path.join(root, 'prefer');
    const onPath = fakeNode(path.join(base, 'bin'), 'v20.20.2');
    fakeNode(path.join(base, 'volta', 'bin'), 'v24.1.0');
    const found = await findNode(
      '',
      isolatedEnv(base, [path.join(base, 'bin')]),
    );
    assert.equal(found.path, onPath);
    assert.equal(found.source, 'PATH');
  });

  it('finds fnm installations', async () => {
    const base = path.join(root, 'fnm-only');
    const exe = fakeNode(
      path.join(base, 'fnm', 'node-versions', 'v21.7.3', 'installation', 'bin'),
      'v21.7.3',
    );
    const found = await findNode('', isolatedEnv(base, []));
    // A system Node (/usr/bin, /usr/local/bin) comes after fnm.
    assert.equal(found.path, exe);
    assert.equal(found.source, 'fnm');
  });
});

describe('childEnv', () => {
  it("drops the editor's own variables and keeps the user's", () => {
    const env = childEnv({
      PATH: '/usr/bin',
      HOME: '/home/me',
      NODE_OPTIONS: '--max-old-space-size=8192',
      ELECTRON_RUN_AS_NODE: '1',
      VSCODE_IPC_HOOK: '/tmp/vscode.sock',
      APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL: '1',
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      HOME: '/home/me',
      NODE_OPTIONS: '--max-old-space-size=8192',
    });
  });
});
