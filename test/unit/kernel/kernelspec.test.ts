import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import {
  DISPLAY_NAME,
  installKernelSpec,
  LAUNCHER,
  listKernelSpecs,
  LOGO_FILES,
  uninstallKernelSpec,
} from '../../../kernels/tslab/kernelspec';
import { REPO_ROOT } from '../../helpers/paths';

const roots: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-spec-'));
  roots.push(dir);
  return dir;
}

/** An environment whose Jupyter folders are all inside `root`. */
function isolatedEnv(root: string) {
  return {
    HOME: root,
    JUPYTER_DATA_DIR: path.join(root, 'data'),
    JUPYTER_PATH: path.join(root, 'extra'),
  };
}

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

after(() => {
  for (const dir of roots) fs.rmSync(dir, { recursive: true, force: true });
});

describe('installKernelSpec', () => {
  it('writes kernel.json with separate argv tokens and absolute paths', () => {
    const prefix = tempDir();
    const { dir } = installKernelSpec({
      location: { kind: 'prefix', dir: prefix },
    });
    assert.equal(
      dir,
      path.join(prefix, 'share', 'jupyter', 'kernels', 'subface'),
    );
    const spec = readJson(path.join(dir, 'kernel.json'));
    assert.deepEqual(spec.argv, [
      process.execPath,
      LAUNCHER,
      '--config-path',
      '{connection_file}',
    ]);
    assert.ok(path.isAbsolute(spec.argv[0]) && path.isAbsolute(spec.argv[1]));
    assert.ok(fs.existsSync(spec.argv[1]));
    assert.equal(spec.display_name, DISPLAY_NAME);
    assert.equal(spec.display_name, 'SubFace (TypeScript)');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'signal');
  });

  it('copies both logos', () => {
    const prefix = tempDir();
    const { dir } = installKernelSpec({
      location: { kind: 'prefix', dir: prefix },
    });
    for (const logo of LOGO_FILES) {
      const committed = path.join(REPO_ROOT, 'kernels', 'tslab', logo);
      assert.deepEqual(
        fs.readFileSync(path.join(dir, logo)),
        fs.readFileSync(committed),
      );
    }
    const png = fs.readFileSync(path.join(dir, 'logo-64x64.png'));
    assert.equal(png.readUInt32BE(16), 64);
    assert.equal(png.readUInt32BE(20), 64);
  });

  it('installs --user into JUPYTER_DATA_DIR, with the chosen name and node', () => {
    const root = tempDir();
    const env = isolatedEnv(root);
    const node = fs.realpathSync(process.execPath);
    const { dir } = installKernelSpec({
      location: { kind: 'user' },
      name: 'sf-2',
      node,
      env,
    });
    assert.equal(dir, path.join(root, 'data', 'kernels', 'sf-2'));
    assert.equal(readJson(path.join(dir, 'kernel.json')).argv[0], node);
  });

  it('installs --user into ~/.local/share/jupyter without JUPYTER_DATA_DIR', () => {
    const root = tempDir();
    const env = { HOME: root };
    const { dir } = installKernelSpec({ location: { kind: 'user' }, env });
    assert.equal(
      dir,
      path.join(root, '.local', 'share', 'jupyter', 'kernels', 'subface'),
    );
  });

  it('installs --sys-prefix under the prefix Python reports', () => {
    const root = tempDir();
    const python = path.join(root, 'python3');
    const prefix = path.join(root, 'venv');
    fs.writeFileSync(python, `#!/bin/sh\necho ${prefix}\n`, { mode: 0o755 });
    const { dir } = installKernelSpec({
      location: { kind: 'sys-prefix', python },
    });
    assert.equal(
      dir,
      path.join(prefix, 'share', 'jupyter', 'kernels', 'subface'),
    );
  });

  it('replaces its own earlier install', () => {
    const prefix = tempDir();
    const location = { kind: 'prefix' as const, dir: prefix };
    installKernelSpec({ location });
    const { dir } = installKernelSpec({ location });
    assert.ok(fs.existsSync(path.join(dir, 'kernel.json')));
  });

  it('refuses to overwrite another kernel of the same name', () => {
    const prefix = tempDir();
    const dir = path.join(prefix, 'share', 'jupyter', 'kernels', 'python3');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'kernel.json'), '{"argv": ["python3"]}');
    assert.throws(
      () =>
        installKernelSpec({
          location: { kind: 'prefix', dir: prefix },
          name: 'python3',
        }),
      { name: 'KernelError', message: /already holds another kernel/ },
    );
  });

  it('rejects bad names and a relative or missing node', () => {
    const location = { kind: 'prefix' as const, dir: tempDir() };
    assert.throws(() => installKernelSpec({ location, name: 'a b' }), {
      message: /--name must use only letters, digits.*'a b'/,
    });
    assert.throws(() => installKernelSpec({ location, node: 'node' }), {
      message: /--node must be an absolute path.*'node'/,
    });
    assert.throws(() => installKernelSpec({ location, node: '/no/node' }), {
      message: /--node must be an executable file.*'\/no\/node'/,
    });
  });
});

describe('listKernelSpecs and uninstallKernelSpec', () => {
  it('find ours in JUPYTER_PATH and the user folder, and nothing else', () => {
    const root = tempDir();
    const env = isolatedEnv(root);
    installKernelSpec({ location: { kind: 'user' }, env });
    installKernelSpec({
      location: { kind: 'prefix', dir: path.join(root, 'p') },
      name: 'other',
    });
    const extra = path.join(root, 'extra', 'kernels');
    fs.cpSync(
      path.join(root, 'p', 'share', 'jupyter', 'kernels', 'other'),
      path.join(extra, 'other'),
      { recursive: true },
    );
    fs.mkdirSync(path.join(extra, 'python3'));
    fs.writeFileSync(
      path.join(extra, 'python3', 'kernel.json'),
      '{"argv": []}',
    );

    const found = listKernelSpecs(env).filter((k) => k.dir.startsWith(root));
    assert.deepEqual(
      found.map((k) => [k.name, k.dir]),
      [
        ['other', path.join(extra, 'other')],
        ['subface', path.join(root, 'data', 'kernels', 'subface')],
      ],
    );
    assert.deepEqual(found[0].problems, []);
  });

  it('reports a kernelspec whose launcher has moved', () => {
    const root = tempDir();
    const env = isolatedEnv(root);
    const { dir } = installKernelSpec({ location: { kind: 'user' }, env });
    const file = path.join(dir, 'kernel.json');
    const spec = readJson(file);
    spec.argv[1] = '/moved/launcher.js';
    fs.writeFileSync(file, JSON.stringify(spec));
    const [found] = listKernelSpecs(env).filter((k) => k.dir === dir);
    assert.deepEqual(found.problems, ['/moved/launcher.js is missing']);
  });

  it('uninstall removes ours from where it is found, then complains', () => {
    const root = tempDir();
    const env = isolatedEnv(root);
    const { dir } = installKernelSpec({ location: { kind: 'user' }, env });
    assert.deepEqual(uninstallKernelSpec({ env }), [dir]);
    assert.ok(!fs.existsSync(dir));
    assert.throws(() => uninstallKernelSpec({ env }), {
      name: 'KernelError',
      message: /no SubFace kernel named 'subface'/,
    });
  });

  it('uninstall --prefix leaves other kernels alone', () => {
    const prefix = tempDir();
    const dir = path.join(prefix, 'share', 'jupyter', 'kernels', 'subface');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'kernel.json'), '{"argv": ["python3"]}');
    assert.throws(
      () => uninstallKernelSpec({ location: { kind: 'prefix', dir: prefix } }),
      {
        message: /no SubFace kernel named 'subface' in .*subface/,
      },
    );
    assert.ok(fs.existsSync(dir));
  });
});
