import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  describeRuntime,
  fastGradientsInstalled,
  initRuntime,
  loadedTfjsCoreCopies,
  resolveBackendChoice,
  RuntimeError,
} from '../../../kernels/subface/runtime';
import {
  GPU_PACKAGE,
  NATIVE_PACKAGE,
  TFJS_VERSION,
} from '../../../kernels/subface/runtime/native_packages';
import { REPO_ROOT } from '../../helpers/paths';

/**
 * Stands in for a native tfjs package that cannot be installed here (its
 * install downloads libtensorflow, and no CUDA exists on this machine).
 * Loading it registers a 'tensorflow' backend, as the real packages do;
 * the backend reports whether libtensorflow created a GPU device.
 */
function fakeNativePackage(options: { gpu: boolean; failing?: string[] }) {
  const loaded: string[] = [];
  const loadPackage = (name: string): unknown => {
    if (options.failing?.includes(name)) {
      const error = new Error(`Cannot find module '${name}'`);
      (error as { code?: string }).code = 'MODULE_NOT_FOUND';
      throw error;
    }
    loaded.push(name);
    tf.registerBackend('tensorflow', () => {
      const backend = Object.create(tf.findBackend('cpu') as object);
      backend.isUsingGpuDevice = options.gpu;
      return backend;
    });
    return {};
  };
  return { loadPackage, loaded };
}

describe('initRuntime', () => {
  afterEach(async () => {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    await tf.setBackend('cpu');
  });

  it('falls back to wasm here and says why each faster one was skipped', async () => {
    const info = await initRuntime({ env: {} });
    assert.equal(info.choice, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.forced, false);
    assert.match(info.device, /wasm XNNPACK with SIMD/);
    assert.deepEqual(
      info.skipped.map((s) => s.choice),
      ['cuda', 'tensorflow'],
    );
    assert.match(info.skipped[0].reason, /tfjs-node-gpu is not installed/);
    assert.match(info.skipped[1].reason, /tfjs-node is not installed/);
    const banner = describeRuntime(info);
    assert.match(banner, /^SubFace runtime: wasm \(CPU, wasm/);
    assert.match(banner, /skipped cuda: .*; tensorflow: /);
  });

  it('installs the fast wasm gradients when wasm is chosen', async () => {
    const info = await initRuntime({ backend: 'wasm' });
    assert.equal(info.fastGradients, true);
    assert.equal(fastGradientsInstalled(), true);
    assert.match(describeRuntime(info), /fast wasm gradients/);
  });

  it('runs ops correctly on the chosen wasm backend', async () => {
    await initRuntime({ backend: 'wasm' });
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    assert.deepEqual(await product.data(), new Float32Array([11]));
    tf.dispose(product);
  });

  it('is forced by SUBFACE_BACKEND', async () => {
    const info = await initRuntime({ env: { SUBFACE_BACKEND: 'cpu' } });
    assert.equal(info.choice, 'cpu');
    assert.equal(info.forced, true);
    assert.deepEqual(info.skipped, []);
  });

  it('fails clearly when the forced backend cannot load', async () => {
    await assert.rejects(
      initRuntime({ env: { SUBFACE_BACKEND: 'tensorflow' } }),
      (error: Error) =>
        error instanceof RuntimeError &&
        /forced backend 'tensorflow' cannot run/.test(error.message) &&
        /tfjs-node is not installed/.test(error.message),
    );
  });

  it('rejects an unknown backend name and lists the valid ones', () => {
    assert.throws(
      () => resolveBackendChoice({ env: { SUBFACE_BACKEND: 'gpu' } }),
      /SUBFACE_BACKEND must be one of auto, cuda, tensorflow, wasm, cpu, but got 'gpu'/,
    );
    assert.throws(
      () => resolveBackendChoice({ backend: 'webgl' as 'cpu' }),
      /backend must be one of/,
    );
  });

  it('prefers CUDA when libtensorflow created a GPU device (mocked)', async () => {
    const fake = fakeNativePackage({ gpu: true });
    const info = await initRuntime({ env: {}, loadPackage: fake.loadPackage });
    assert.equal(info.choice, 'cuda');
    assert.equal(info.backend, 'tensorflow');
    assert.match(info.device, /^GPU, CUDA/);
    assert.deepEqual(fake.loaded, ['@tensorflow/tfjs-node-gpu']);
  });

  it('uses the GPU package on the CPU when no GPU device exists (mocked)', async () => {
    const fake = fakeNativePackage({ gpu: false });
    const info = await initRuntime({ env: {}, loadPackage: fake.loadPackage });
    assert.equal(info.choice, 'tensorflow');
    assert.match(
      info.device,
      /libtensorflow through @tensorflow\/tfjs-node-gpu/,
    );
    assert.match(info.skipped[0].reason, /no GPU device.*CUDA 11\.2/);
    assert.deepEqual(fake.loaded, ['@tensorflow/tfjs-node-gpu']);
  });

  it('treats a requested GPU without a device as an error (mocked)', async () => {
    const fake = fakeNativePackage({ gpu: false });
    await assert.rejects(
      initRuntime({ backend: 'cuda', loadPackage: fake.loadPackage }),
      /forced backend 'cuda' cannot run.*created no GPU device/,
    );
  });

  it('uses tfjs-node when only the CPU package is installed (mocked)', async () => {
    const fake = fakeNativePackage({
      gpu: false,
      failing: ['@tensorflow/tfjs-node-gpu'],
    });
    const info = await initRuntime({ env: {}, loadPackage: fake.loadPackage });
    assert.equal(info.choice, 'tensorflow');
    assert.match(info.device, /through @tensorflow\/tfjs-node$/);
    assert.match(info.skipped[0].reason, /tfjs-node-gpu is not installed/);
  });
});

describe('tfjs-core copies', () => {
  it('finds exactly one copy in a normal process', () => {
    const copies = loadedTfjsCoreCopies();
    assert.equal(copies.length, 1);
    assert.equal(copies[0].version, tf.version_core);
  });

  it('refuses to start with two copies of tfjs-core loaded', () => {
    // A second copy in a nested node_modules, as npm makes for a
    // dependency that pins another version.
    const root = path.join(__dirname, 'second-core');
    const coreDir = path.join(root, 'node_modules/@tensorflow/tfjs-core');
    const source = path.dirname(
      require.resolve('@tensorflow/tfjs-core/package.json'),
    );
    fs.mkdirSync(path.join(coreDir, 'dist'), { recursive: true });
    for (const file of ['package.json', 'dist/tf-core.node.js']) {
      fs.copyFileSync(path.join(source, file), path.join(coreDir, file));
    }
    const runtime = require.resolve('../../../kernels/subface/runtime');
    const script = `
      const runtime = require(${JSON.stringify(runtime)});
      require(${JSON.stringify(coreDir)});
      runtime.initRuntime({ backend: 'cpu' }).then(
        () => console.log('started'),
        (error) => console.log(error.name + ': ' + error.message));`;
    try {
      const output = execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        // The second copy warns on stderr as it loads; keep it quiet.
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      assert.match(output, /RuntimeError: .*exactly one copy/);
      assert.match(output, /got 2/);
      assert.ok(output.includes(coreDir), output);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('native package versions', () => {
  it("match the library's tfjs (what Enable CUDA installs)", () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
    );
    assert.equal(manifest.dependencies['@tensorflow/tfjs'], TFJS_VERSION);
    assert.equal(manifest.optionalDependencies[GPU_PACKAGE], TFJS_VERSION);
    assert.equal(manifest.optionalDependencies[NATIVE_PACKAGE], TFJS_VERSION);
  });
});
