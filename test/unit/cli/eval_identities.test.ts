import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { resolveRunConfig } from '../../../kernels/subface/cli/run_config_resolve';
import { mergeRunConfig } from '../../../kernels/subface/cli/run_config_load';
import { runConfigFromFlags } from '../../../kernels/subface/cli/run_flags';
import { RunConfig } from '../../../kernels/subface/cli/run_config';
import { LFW_DIR, LFW_PAIRS, REPO_ROOT } from '../../helpers/paths';

const cli = path.join(REPO_ROOT, 'out/kernels/subface/cli/main.js');
/** The child loads tfjs and wasm, trains 2 steps, embeds 1200 faces. */
const CHILD_TIMEOUT_MS = 60_000;

/** LFW people with 20+ images at 16 px, a 2-stage CpuResNet, 2 steps. */
const TINY = {
  data: { kind: 'folder', path: LFW_DIR, minImagesPerIdentity: 20 },
  eval: { centerCrop: 0.5 },
  model: {
    inputSize: 16,
    embeddingDim: 8,
    config: { stemChannels: 4, stageChannels: [4, 8] },
  },
  head: { margin: { kind: 'arcface', scale: 16 } },
  train: { steps: 2, batchSize: 8, logEvery: 1, prefetch: 1 },
  report: { maxPoints: 24, numBlocks: 2, umap: false, maxIdentities: 4 },
};

describe('eval identities with a pairs list', () => {
  it('are excluded by default, kept with --keep-eval-identities', () => {
    const flags = {
      subface: true,
      data: LFW_DIR,
      eval: LFW_PAIRS,
      evalImages: LFW_DIR,
      evalFolds: [1],
    };
    const config = resolveRunConfig(runConfigFromFlags(flags));
    assert.equal(config.data.kind, 'folder');
    assert.ok('excludeEvalIdentities' in config.data);
    assert.equal(config.data.excludeEvalIdentities, true);
    assert.deepEqual(
      'folds' in config.eval.set ? config.eval.set.folds : null,
      [1],
    );

    const kept = runConfigFromFlags({ ...flags, keepEvalIdentities: true });
    const file: RunConfig = { data: { kind: 'folder', path: LFW_DIR } };
    const merged = mergeRunConfig<RunConfig>(file, {
      data: kept.data,
    });
    assert.deepEqual(merged.data, {
      kind: 'folder',
      path: LFW_DIR,
      excludeEvalIdentities: false,
    });
  });

  it('rejects folds for a set that is not a pairs list', () => {
    assert.throws(
      () =>
        resolveRunConfig(runConfigFromFlags({ subface: true, evalFolds: [1] })),
      /eval.set.folds must be given only for eval.set.kind 'pairs'/,
    );
  });
});

describe('subface train on LFW with fold 1 as eval', () => {
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-eval-ids-'));
    fs.writeFileSync(path.join(tmp, 'tiny.json'), JSON.stringify(TINY));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains on none of the people in the pairs', () => {
    const run = spawnSync(
      process.execPath,
      [
        cli,
        'train',
        '--config',
        path.join(tmp, 'tiny.json'),
        '--eval',
        LFW_PAIRS,
        '--eval-images',
        LFW_DIR,
        '--eval-folds',
        '1',
        '--runs-dir',
        tmp,
        '--name',
        'lfw',
      ],
      { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /54 identities, 2744 images/);
    assert.match(
      run.stdout,
      /train excludes 435 identities named in the eval pairs \(435 names\)/,
    );
    const saved = JSON.parse(
      fs.readFileSync(path.join(tmp, 'lfw', 'config.json'), 'utf8'),
    );
    assert.deepEqual(saved.data, {
      numIdentities: 54,
      numImages: 2744,
      excludedEvalIdentities: 435,
      evalNames: 435,
    });
    assert.equal(saved.config.data.excludeEvalIdentities, true);
    assert.deepEqual(saved.config.eval.set.folds, [1]);
  });

  function subfaceEval(...args: string[]) {
    return spawnSync(
      process.execPath,
      [cli, 'eval', path.join(tmp, 'lfw'), ...args],
      { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS },
    );
  }

  it('evaluates the run on the folds of a pairs list named by --folds', () => {
    const run = subfaceEval(
      '--set',
      LFW_PAIRS,
      '--images',
      LFW_DIR,
      '--folds',
      '1',
      '--json',
    );
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    assert.equal(result.pairs, 600);
    assert.equal(result.thresholds.length, 10);
  });

  it('names the flags that choose folds when images are missing', () => {
    const run = subfaceEval('--set', LFW_PAIRS, '--images', LFW_DIR);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /are missing/);
    assert.match(run.stderr, /--folds/);
    const noImages = subfaceEval('--set', LFW_PAIRS);
    assert.equal(noImages.status, 1);
    assert.match(
      noImages.stderr,
      /--images must name the image folder of the pairs list/,
    );
  });
});
