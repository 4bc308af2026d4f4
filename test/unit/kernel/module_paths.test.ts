import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import {
  createPathMapper,
  kernelModules,
} from '../../../kernels/tslab/module_paths';
import { REPO_ROOT } from '../../helpers/paths';

const notebook = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-nb-'));
const local = path.join(notebook, 'node_modules');
const modules = kernelModules(REPO_ROOT);
const map = createPathMapper(notebook, modules);

after(() => fs.rmSync(notebook, { recursive: true, force: true }));

describe('kernelModules', () => {
  it("holds the package's own node_modules", () => {
    assert.deepEqual(modules.moduleDirs, [
      path.join(REPO_ROOT, 'node_modules'),
    ]);
  });

  it('adds the node_modules folder that holds an installed subface', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-dep-'));
    const root = path.join(project, 'node_modules', 'subface');
    fs.mkdirSync(root, { recursive: true });
    try {
      assert.deepEqual(kernelModules(root).moduleDirs, [
        path.join(project, 'node_modules'),
      ]);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('createPathMapper', () => {
  it("maps the notebook's missing packages to the kernel's", () => {
    const tfjs = path.join('@tensorflow', 'tfjs', 'package.json');
    assert.equal(
      map(path.join(local, tfjs)),
      path.join(REPO_ROOT, 'node_modules', tfjs),
    );
  });

  it('maps subface itself to the package root', () => {
    assert.equal(
      map(path.join(local, 'subface', 'package.json')),
      path.join(REPO_ROOT, 'package.json'),
    );
    assert.equal(map(path.join(local, 'subface')), REPO_ROOT);
  });

  it('keeps paths outside <notebook>/node_modules and unknown packages', () => {
    const own = path.join(notebook, 'helper.ts');
    assert.equal(map(own), own);
    const unknown = path.join(local, 'no-such-package', 'index.d.ts');
    assert.equal(map(unknown), unknown);
  });

  it("lets the notebook's own copy of a package win", () => {
    const ownCopy = path.join(local, 'subface', 'package.json');
    fs.mkdirSync(path.dirname(ownCopy), { recursive: true });
    fs.writeFileSync(ownCopy, '{"name": "subface"}');
    try {
      assert.equal(map(ownCopy), ownCopy);
    } finally {
      fs.rmSync(local, { recursive: true, force: true });
    }
  });
});

describe('installRuntimeResolution', () => {
  it('resolves subface and its dependencies from a notebook folder', () => {
    const script = `
      const { createRequire } = require('node:module');
      const paths = require(${JSON.stringify(path.join(REPO_ROOT, 'out', 'kernels', 'tslab', 'module_paths.js'))});
      paths.installRuntimeResolution(paths.kernelModules(${JSON.stringify(REPO_ROOT)}));
      const cell = createRequire(${JSON.stringify(path.join(notebook, 'cell.js'))});
      console.log(JSON.stringify([cell.resolve('subface'),
        cell.resolve('@tensorflow/tfjs'), cell.resolve('subface/package.json')]));`;
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd: notebook,
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), [
      path.join(REPO_ROOT, 'out', 'kernels', 'subface', 'index.js'),
      require.resolve('@tensorflow/tfjs'),
      path.join(REPO_ROOT, 'package.json'),
    ]);
  });
});
