import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ORL_DIR, REPO_ROOT } from '../../helpers/paths';

const cli = path.join(REPO_ROOT, 'out/kernels/subface/cli/main.js');
const RESULT_KEYS = [
  'run',
  'backend',
  'steps',
  'seconds',
  'accuracy',
  'accuracyStd',
  'pairs',
  'report',
];
/** Each child loads tfjs and wasm, then trains a tiny model. */
const CHILD_TIMEOUT_MS = 60_000;

/** 8 people x 4 images at 32 px, a 2-stage CpuResNet, 6 steps of 8. */
const TINY = {
  data: {
    kind: 'synthetic',
    numIdentities: 8,
    imagesPerIdentity: 4,
    size: 32,
    difficulty: 'easy',
  },
  eval: {
    set: {
      kind: 'synthetic',
      numIdentities: 6,
      imagesPerIdentity: 4,
      numPairs: 40,
    },
  },
  model: {
    inputSize: 32,
    embeddingDim: 16,
    config: { stemChannels: 8, stageChannels: [8, 16] },
  },
  head: { margin: { kind: 'arcface', scale: 16 } },
  train: { steps: 6, batchSize: 8, logEvery: 1, prefetch: 1 },
  report: { maxPoints: 24, numBlocks: 2 },
};

function subface(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  });
  const lines = run.stdout.trim().split('\n');
  return {
    code: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    last: lines[lines.length - 1],
  };
}

function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('subface train', () => {
  let tmp = '';
  let config = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-train-'));
    config = path.join(tmp, 'tiny.json');
    fs.writeFileSync(config, JSON.stringify(TINY));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains, evaluates and writes the run folder', () => {
    const run = subface(
      '--json',
      'train',
      '--config',
      config,
      '--runs-dir',
      tmp,
      '--name',
      'tiny',
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.last);
    assert.deepEqual(Object.keys(result), RESULT_KEYS);
    assert.equal(result.steps, 6);
    assert.equal(result.pairs, 40);
    assert.ok(result.accuracy >= 0 && result.accuracy <= 1);
    const dir = path.join(tmp, 'tiny');
    assert.equal(result.run, dir);

    const saved = JSON.parse(
      fs.readFileSync(path.join(dir, 'config.json'), 'utf8'),
    );
    assert.equal(saved.config.model.inputSize, 32);
    assert.match(saved.runtime.banner, /^SubFace runtime: /);
    const steps = readLines(path.join(dir, 'metrics.jsonl'))
      .filter((r) => r.type === 'step')
      .map((r) => r.step as number);
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6]);
    const pointer = JSON.parse(
      fs.readFileSync(path.join(dir, 'checkpoints/last-good.json'), 'utf8'),
    );
    assert.equal(pointer.step, 6);

    const evaluation = JSON.parse(
      fs.readFileSync(path.join(dir, 'eval.json'), 'utf8'),
    ).evaluation;
    assert.equal(evaluation.result.folds.length, 10);
    assert.ok(
      evaluation.result.folds.every(
        (f: { threshold: number }) => f.threshold >= 0,
      ),
    );
    assert.match(evaluation.sha256, /^[0-9a-f]{64}$/);

    const html = fs.readFileSync(result.report, 'utf8');
    assert.ok(html.includes('plotly.js v'));
    assert.ok(html.includes('views.renderTraining('));
    for (const id of ['training', 'verification', 'projection']) {
      assert.ok(html.includes(`type="application/json" id="subface-${id}"`));
    }
    assert.ok(!/<script[^>]*src=["']?https?:/i.test(html));
  });

  it('continues the run with --resume', () => {
    const dir = path.join(tmp, 'tiny');
    const run = subface('--json', 'train', '--resume', dir, '--steps', '8');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.last).steps, 8);
    const steps = readLines(path.join(dir, 'metrics.jsonl'))
      .filter((r) => r.type === 'step')
      .map((r) => r.step as number);
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('evaluates, embeds and analyzes the trained run', () => {
    const dir = path.join(tmp, 'tiny');
    const evaluation = subface('--json', 'eval', dir);
    assert.equal(evaluation.code, 0, evaluation.stderr);
    const result = JSON.parse(evaluation.last);
    assert.equal(result.step, 8);
    assert.equal(result.thresholds.length, 10);

    const out = path.join(tmp, 'orl.jsonl');
    const embed = subface('--json', 'embed', dir, ORL_DIR, out);
    assert.equal(embed.code, 0, embed.stderr);
    const rows = readLines(out);
    assert.equal(rows.length, 400);
    const first = rows[0].embedding as number[];
    assert.equal(first.length, 16);
    const norm = Math.hypot(...first);
    assert.ok(Math.abs(norm - 1) < 1e-4);

    const analyze = subface('--json', 'analyze', dir, '--no-umap');
    assert.equal(analyze.code, 0, analyze.stderr);
    const analysis = JSON.parse(
      fs.readFileSync(JSON.parse(analyze.last).analysis, 'utf8'),
    );
    assert.deepEqual(analysis.aggregation.columns.slice(-1), ['full']);
  });

  it('trains on ORL with an identity-disjoint split', () => {
    const run = subface(
      'train',
      '--config',
      config,
      '--data',
      ORL_DIR,
      '--eval',
      'split',
      '--steps',
      '3',
      '--runs-dir',
      tmp,
      '--name',
      'orl',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /sha256 [0-9a-f]{64}/);
    const saved = JSON.parse(
      fs.readFileSync(path.join(tmp, 'orl', 'eval.json'), 'utf8'),
    );
    const accuracy = saved.evaluation.result.accuracy;
    assert.ok(accuracy >= 0 && accuracy <= 1);
    assert.match(run.stdout, /split \(8 identities\)/);
  });

  it('rejects a bad config naming the field, without a stack', () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ train: { lr: -1 } }));
    const run = subface('train', '--config', bad, '--runs-dir', tmp);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /train\.lr must be/);
    assert.ok(!run.stderr.includes('    at '));

    const typo = path.join(tmp, 'typo.json');
    fs.writeFileSync(typo, JSON.stringify({ modle: {} }));
    const second = subface('train', '--config', typo);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /key 'modle' must be one of data, eval/);
  });

  it('stops on SIGINT at a step boundary with a checkpoint', async () => {
    const child = spawn(
      process.execPath,
      [
        cli,
        'train',
        '--config',
        config,
        '--steps',
        '500',
        '--runs-dir',
        tmp,
        '--name',
        'stopped',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let signalled = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!signalled && /^step 3\//m.test(stdout)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) =>
      child.on('close', resolve),
    );
    assert.equal(code, 0);
    const dir = path.join(tmp, 'stopped');
    const records = readLines(path.join(dir, 'metrics.jsonl'));
    const end = records[records.length - 1];
    assert.equal(end.reason, 'stopped', stdout);
    assert.ok((end.step as number) < 500);
    // The stop step is checkpointed (as 'stop', or as 'epoch' when the
    // stop falls on an epoch end, which then needs no second copy).
    const pointer = JSON.parse(
      fs.readFileSync(path.join(dir, 'checkpoints/last-good.json'), 'utf8'),
    );
    assert.equal(pointer.step, end.step);
  });
});
