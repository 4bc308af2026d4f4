import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { parseLauncherArgs } from '../../../kernels/tslab/launcher';
import {
  checkTslabVersion,
  findTslab,
  loadTslab,
  TSLAB_VERSION,
} from '../../../kernels/tslab/tslab_internals';

describe('tslab', () => {
  it('is the pinned version', () => {
    assert.equal(TSLAB_VERSION, '1.0.22');
    assert.doesNotThrow(() => checkTslabVersion(findTslab()));
  });

  it('loads the pieces the kernel is built from', () => {
    const tslab = loadTslab();
    assert.equal(typeof tslab.converter.createConverter, 'function');
    assert.equal(typeof tslab.executor.createExecutor, 'function');
    assert.equal(typeof tslab.jupyter.ZmqServer, 'function');
    assert.equal(typeof tslab.jupyter.JupyterHandlerImpl, 'function');
    assert.equal(typeof tslab.util.TaskQueue, 'function');
    assert.equal(tslab.ts.version, '5.0.4');
  });

  it('refuses another version, saying which and how to fix it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-tslab-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"version": "1.0.23"}');
    try {
      assert.throws(() => checkTslabVersion(dir), {
        name: 'KernelError',
        message:
          /tslab must be version 1\.0\.22 .* but got 1\.0\.23 .*npm install tslab@1\.0\.22/,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseLauncherArgs', () => {
  it("returns Jupyter's connection file", () => {
    assert.equal(
      parseLauncherArgs(['--config-path', '/run/k.json']),
      '/run/k.json',
    );
  });

  it('rejects a missing connection file', () => {
    for (const argv of [[], ['--config-path'], ['--config-path', '--x']]) {
      assert.throws(() => parseLauncherArgs(argv), {
        name: 'KernelError',
        message: /--config-path must name Jupyter's connection file/,
      });
    }
  });
});
