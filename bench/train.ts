/**
 * End-to-end training throughput of `subface train` (the CLI, as a child
 * process, on its synthetic faces) against PyTorch CPU training the same
 * backbone with the same head, batch and input size, interleaved round by
 * round in the same run; and the peak RSS of both.
 *
 *   npm run bench -- train [--rounds 1] [--threads 2]
 *
 * Cases: cpu_resnet (the main job's net, 64 px, batch 64, 30 steps) and
 * iResNet-18 (64 px, batch 32, 4 steps). tfjs images/s come from the run's
 * metrics.jsonl, skipping the first logged interval; PyTorch
 * (bench/torch_train.py) warms up for as many steps and times the rest.
 * PyTorch is fed one pre-made random batch (no decoding or drawing); the
 * CLI's images/s include its data pipeline. Peak RSS: `/usr/bin/time -v`
 * for the CLI, ru_maxrss for PyTorch.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'out', 'kernels', 'subface', 'cli', 'main.js');
const TORCH_SCRIPT = path.join(ROOT, 'bench', 'torch_train.py');
/** Identities of the CLI's default synthetic data: the head's classes. */
const CLASSES = 100;
const EMBEDDING_DIM = 128;

interface Case {
  backbone: string;
  size: number;
  batch: number;
  steps: number;
  /** Steps per logged interval; the first interval is the warm-up. */
  logEvery: number;
}

const CASES: Case[] = [
  { backbone: 'cpu_resnet', size: 64, batch: 64, steps: 30, logEvery: 5 },
  { backbone: 'iresnet18', size: 64, batch: 32, steps: 4, logEvery: 1 },
];

interface Options {
  rounds: number;
  threads: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = { rounds: 1, threads: 2 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    if (name !== 'rounds' && name !== 'threads') {
      throw new Error(
        `train: option must be one of --rounds, --threads, but got ` +
          `'${args[i]}'`,
      );
    }
    const value = Number(args[i + 1]);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `train: --${name} must be an integer >= 1, but got '${args[i + 1]}'`,
      );
    }
    options[name] = value;
  }
  return options;
}

function checkTools(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `train: PyTorch must be importable by ${PYTHON}, but it is not ` +
        `(${(probe.stderr || String(probe.error)).trim()}). Run ` +
        'bench/setup-torch.sh (apt-get install python3-torch ' +
        'libopenblas0-pthread) first.',
    );
  }
  if (!fs.existsSync(CLI)) {
    throw new Error(`train: ${CLI} must exist; run 'npm run build' first`);
  }
  if (!fs.existsSync(TIME)) {
    console.log(`${TIME} is missing: apt-get install -y time`);
    spawnSync('apt-get', ['install', '-y', 'time'], { stdio: 'inherit' });
    if (!fs.existsSync(TIME)) {
      throw new Error(
        `train: ${TIME} (GNU time) must exist to measure the CLI's peak ` +
          "RSS, but it does not and 'apt-get install -y time' failed",
      );
    }
  }
}

interface Measured {
  images_per_s: number;
  peak_rss_mb: number;
  wall_s: number;
}

interface TfjsMeasured extends Measured {
  interval_images_per_s: number[];
  backend: string;
}

interface TorchMeasured extends Measured {
  torch: string;
  threads: number;
  params_backbone: number;
  step_s: number[];
}

/** Images/s over intervals of equal size: total images / total time. */
function pooledRate(rates: number[]): number {
  return rates.length / rates.reduce((sum, r) => sum + 1 / r, 0);
}

function runTfjs(c: Case, scratch: string, round: number): TfjsMeasured {
  const name = `${c.backbone}-${round}`;
  const config = path.join(scratch, `${name}.json`);
  // Evaluation and report shrunk to the smallest the CLI accepts.
  fs.writeFileSync(
    config,
    JSON.stringify({
      eval: {
        set: {
          kind: 'synthetic',
          numIdentities: 4,
          imagesPerIdentity: 4,
          numPairs: 20,
        },
      },
      report: { umap: false, maxIdentities: 4, maxPoints: 16 },
      train: { logEvery: c.logEvery },
    }),
  );
  const args = [
    '-v',
    process.execPath,
    CLI,
    '--json',
    'train',
    ...['--config', config, '--backbone', c.backbone],
    ...['--image-size', `${c.size}`, '--batch-size', `${c.batch}`],
    ...['--steps', `${c.steps}`, '--no-subface'],
    ...['--name', name, '--runs-dir', scratch],
  ];
  const start = performance.now();
  const result = spawnSync(TIME, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `train: subface train (${c.backbone}) failed: ` +
        `${result.stderr.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (rss === null) {
    throw new Error(`train: no peak RSS in ${TIME} -v's output`);
  }
  const lines = result.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1]) as { backend: string };
  const metrics = fs
    .readFileSync(path.join(scratch, name, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.type === 'step');
  const rates = metrics.map((record) => record.samplesPerSecond as number);
  if (rates.length < 2) {
    throw new Error(
      `train: need 2 or more logged intervals, but got ${rates.length}`,
    );
  }
  return {
    images_per_s: pooledRate(rates.slice(1)),
    interval_images_per_s: rates,
    peak_rss_mb: Number(rss[1]) / 1024,
    wall_s: wall,
    backend: summary.backend,
  };
}

function runTorch(c: Case, threads: number): TorchMeasured {
  const args = [
    TORCH_SCRIPT,
    ...['--backbone', c.backbone, '--size', `${c.size}`],
    ...['--batch', `${c.batch}`, '--warmup', `${c.logEvery}`],
    ...['--steps', `${c.steps - c.logEvery}`, '--threads', `${threads}`],
    ...['--classes', `${CLASSES}`, '--embedding-dim', `${EMBEDDING_DIM}`],
  ];
  const start = performance.now();
  const result = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    throw new Error(`train: torch run failed: ${result.stderr.trim()}`);
  }
  const lines = result.stdout.trim().split('\n');
  const out = JSON.parse(lines[lines.length - 1]) as Omit<
    TorchMeasured,
    'wall_s'
  >;
  return { ...out, wall_s: wall };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function summarise(runs: Measured[]) {
  return {
    images_per_s: mean(runs.map((r) => r.images_per_s)),
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
  };
}

export async function main(args: string[]): Promise<void> {
  const options = parseOptions(args);
  checkTools();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-bench-'));
  console.log(
    'tfjs: subface train (synthetic faces drawn and normalised by its ' +
      'pipeline, ArcFace s 64 m 0.5 without SubFace, SGD momentum 0.9, ' +
      'wd 5e-4); PyTorch: same net and head, fed one pre-made random ' +
      `batch (no data pipeline), ${options.threads} threads; ` +
      `${CLASSES} classes, embedding ${EMBEDDING_DIM}`,
  );
  const tfjs: TfjsMeasured[][] = CASES.map(() => []);
  const torch: TorchMeasured[][] = CASES.map(() => []);
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const [i, c] of CASES.entries()) {
        const t = runTfjs(c, scratch, round);
        tfjs[i].push(t);
        const p = runTorch(c, options.threads);
        torch[i].push(p);
        console.log(
          `round ${round + 1} ${c.backbone} ${c.size}px batch ${c.batch}: ` +
            `tfjs ${t.images_per_s.toFixed(1)} img/s ` +
            `(peak RSS ${t.peak_rss_mb.toFixed(0)} MB, ` +
            `${t.wall_s.toFixed(0)} s wall), ` +
            `torch ${p.images_per_s.toFixed(1)} img/s ` +
            `(peak RSS ${p.peak_rss_mb.toFixed(0)} MB, ` +
            `${p.wall_s.toFixed(0)} s wall)`,
        );
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const cases: Record<string, unknown> = {};
  const ratios: number[] = [];
  for (const [i, c] of CASES.entries()) {
    const t = summarise(tfjs[i]);
    const p = summarise(torch[i]);
    ratios.push(t.images_per_s / p.images_per_s);
    console.log(
      `${c.backbone}: tfjs ${t.images_per_s.toFixed(1)} img/s, torch ` +
        `${p.images_per_s.toFixed(1)} img/s, ratio ` +
        `${ratios[i].toFixed(3)}; peak RSS tfjs ` +
        `${t.peak_rss_mb.toFixed(0)} MB, torch ${p.peak_rss_mb.toFixed(0)} MB`,
    );
    cases[c.backbone] = {
      ...c,
      timed_steps: c.steps - c.logEvery,
      ratio: ratios[i],
      tfjs: {
        ...t,
        backend: tfjs[i][0].backend,
        rounds: tfjs[i].map(({ backend: _, ...r }) => r),
      },
      torch: {
        ...p,
        version: torch[i][0].torch,
        threads: torch[i][0].threads,
        params_backbone: torch[i][0].params_backbone,
        rounds: torch[i].map((r) => ({
          images_per_s: r.images_per_s,
          peak_rss_mb: r.peak_rss_mb,
          wall_s: r.wall_s,
          step_s: r.step_s,
        })),
      },
    };
  }
  console.log(
    JSON.stringify({
      name: 'train',
      ratio: ratios[0],
      ratio_iresnet18: ratios[1],
      rounds: options.rounds,
      classes: CLASSES,
      embedding_dim: EMBEDDING_DIM,
      torch_data: 'one pre-made random batch reused; no data pipeline',
      ...cases,
    }),
  );
}
