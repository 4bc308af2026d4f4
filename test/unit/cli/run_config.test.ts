import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  DEFAULT_STEPS,
  RunConfig,
} from '../../../kernels/subface/cli/run_config';
import { mergeRunConfig } from '../../../kernels/subface/cli/run_config_load';
import {
  ConfigError,
  defaultRunName,
  resolveRunConfig,
} from '../../../kernels/subface/cli/run_config_resolve';
import { runConfigFromFlags } from '../../../kernels/subface/cli/run_flags';

describe('resolveRunConfig', () => {
  it('defaults to the main job: ArcFace + SubFace 0.8 on synthetic', () => {
    const config = resolveRunConfig({ name: 'x' });
    assert.equal(config.data.kind, 'synthetic');
    assert.equal(config.eval.set.kind, 'synthetic');
    assert.equal(config.model.backbone, 'cpu_resnet');
    assert.equal(config.model.inputSize, 64);
    assert.deepEqual(config.head.subface, { ratio: 0.8, sampler: 'exact' });
    assert.equal(config.head.margin.kind, 'arcface');
    assert.equal(config.train.totalSteps, DEFAULT_STEPS);
    assert.equal(config.train.checkpointDir, null);
  });

  it('evaluates folders on an identity split by default', () => {
    const config = resolveRunConfig({ data: { kind: 'folder', path: 'f' } });
    assert.equal(config.eval.set.kind, 'split');
  });

  it('crops evaluation images like the training data unless told', () => {
    const folder = { kind: 'folder', path: 'f', centerCrop: 0.5 } as const;
    assert.equal(resolveRunConfig({ data: folder }).eval.centerCrop, 0.5);
    const own = resolveRunConfig({ data: folder, eval: { centerCrop: 0.8 } });
    assert.equal(own.data.kind === 'folder' && own.data.centerCrop, 0.5);
    assert.equal(own.eval.centerCrop, 0.8);
    assert.equal(resolveRunConfig({}).eval.centerCrop, 1);
  });

  it('names the field of each mistake', () => {
    const cases: [RunConfig, RegExp][] = [
      [{ data: { kind: 'video' } } as never, /data.kind must be synthetic/],
      [{ train: { lr: -1 } }, /train\.lr must be/],
      [
        { train: { schedule: { kind: 'polynomial', warmupSteps: -1 } } },
        /train\.schedule\.warmupSteps must be/,
      ],
      [{ train: { steps: 5, epochs: 2 } }, /steps or epochs, not both/],
      [{ model: { backbone: 'vgg' } } as never, /model.backbone must be/],
      [{ model: { config: { depth: 3 } } }, /model.config: .*'depth'/],
      [{ head: { subface: { ratio: 2 } } }, /head\.subface\.ratio must/],
      [
        { data: { kind: 'synthetic', excludeEvalIdentities: false } } as never,
        /excludeEvalIdentities \(--keep-eval-identities\) must be given only/,
      ],
      [
        { data: { kind: 'synthetic', centerCrop: 0.5 } } as never,
        /data\.centerCrop must be given only for 'folder' or 'rec'/,
      ],
      [
        { data: { kind: 'folder', path: 'f', centerCrop: 0 } },
        /data\.centerCrop must be a number in \(0, 1\]/,
      ],
      [{ eval: { set: { kind: 'bin' } } } as never, /eval.set.path must be/],
      [{ name: 'a/b' }, /name must be a folder name/],
      [{ seed: -1 }, /seed must be an integer >= 0/],
    ];
    for (const [config, pattern] of cases) {
      assert.throws(
        () => resolveRunConfig(config),
        (error: Error) =>
          error instanceof ConfigError && pattern.test(error.message),
        pattern.source,
      );
    }
  });

  it('names runs by date and time', () => {
    const name = defaultRunName(new Date(2025, 0, 31, 14, 5, 1));
    assert.equal(name, 'run-20250131-140501');
  });
});

describe('flags over a config file', () => {
  it('override single fields and switch kinds whole', () => {
    const file: RunConfig = {
      data: { kind: 'synthetic', numIdentities: 10 },
      head: { margin: { kind: 'arcface', margin: 0.4 } },
      train: { epochs: 3, lr: 0.2 },
    };
    const flags = runConfigFromFlags({
      subface: false,
      data: 'some/folder',
      loss: 'cosface',
      steps: 7,
    });
    const merged = mergeRunConfig<RunConfig>(file, flags);
    assert.deepEqual(merged.data, {
      kind: 'folder',
      path: 'some/folder',
    });
    assert.deepEqual(merged.head?.margin, { kind: 'cosface' });
    assert.equal(merged.head?.subface, null);
    const config = resolveRunConfig(merged);
    assert.equal(config.train.totalSteps, 7);
    assert.equal(config.train.lr, 0.2);
  });
});
