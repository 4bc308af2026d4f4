/**
 * `subface kernel ...` as a user runs it: a child process with its own
 * HOME and Jupyter folders.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import { REPO_ROOT } from '../../helpers/paths';

const CLI = path.join(REPO_ROOT, 'out', 'kernels', 'subface', 'cli', 'main.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-cli-'));
const env = {
  ...process.env,
  HOME: root,
  JUPYTER_DATA_DIR: path.join(root, 'data'),
  JUPYTER_PATH: '',
};

function subface(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
}

after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('subface kernel', () => {
  it('installs for the user by default, lists and uninstalls', () => {
    const install = subface('kernel', 'install');
    assert.equal(install.status, 0, install.stderr);
    const dir = path.join(root, 'data', 'kernels', 'subface');
    assert.equal(install.stdout.trim(), `installed kernel 'subface' in ${dir}`);

    const list = subface('--json', 'kernel', 'list');
    const { kernels } = JSON.parse(list.stdout);
    const ours = kernels.filter((k: { dir: string }) => k.dir === dir);
    assert.equal(ours.length, 1);
    assert.equal(ours[0].displayName, 'SubFace (TypeScript)');

    const uninstall = subface('kernel', 'uninstall', '--user');
    assert.equal(uninstall.stdout.trim(), `removed ${dir}`);
    assert.ok(!fs.existsSync(dir));
  });

  it('installs under --prefix with --name and --node', () => {
    const prefix = path.join(root, 'prefix');
    const node = fs.realpathSync(process.execPath);
    const done = subface(
      '--json',
      'kernel',
      'install',
      '--prefix',
      prefix,
      '--name',
      'sf',
      '--node',
      node,
    );
    assert.equal(done.status, 0, done.stderr);
    const spec = JSON.parse(done.stdout).spec;
    assert.equal(spec.argv[0], node);
    assert.ok(
      fs.existsSync(
        path.join(
          prefix,
          'share',
          'jupyter',
          'kernels',
          'sf',
          'logo-32x32.png',
        ),
      ),
    );
  });

  it('rejects conflicting locations', () => {
    const result = subface('kernel', 'install', '--user', '--prefix', root);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /one of --user, --sys-prefix and --prefix, not --user and --prefix/,
    );
  });

  it('rejects --python without --sys-prefix', () => {
    const result = subface('kernel', 'install', '--python', '/usr/bin/python3');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--python goes with --sys-prefix/);
  });

  it('explains a --sys-prefix without Python', () => {
    const result = subface(
      'kernel',
      'install',
      '--sys-prefix',
      '--python',
      '/no/python',
    );
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^subface: .*--sys-prefix needs a Python/);
  });

  it('says when nothing is installed', () => {
    const result = subface('kernel', 'uninstall', '--name', 'absent');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no SubFace kernel named 'absent'/);
  });
});
