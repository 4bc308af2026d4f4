/**
 * One SGD-momentum training step (forward, backward, update) of the CPU
 * ResNet with a CosFace head, on tfjs wasm with the fast gradients and on
 * PyTorch CPU, interleaved round by round in the same run.
 *
 *   npm run bench -- train_step [--size 112] [--batch 32] [--steps 5]
 *     [--warmup 2] [--rounds 2] [--classes 1000] [--threads 2]
 *     [--workers 2] [--naive] [--cpu] [--profile]
 *
 * --threads is PyTorch's thread count; --workers the number of
 * data-parallel wasm replicas in worker threads (0 or 1: none), timed
 * besides the single-thread wasm step.
 * --naive also times wasm with tfjs' own gradients (or reports the kernel
 * it lacks); --cpu times the pure-JS backend at 64x64 (minutes per step);
 * --profile prints the wasm kernels that take the most time in one step.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs';

import { describeRuntime, initRuntime } from '../kernels/subface/runtime';
import {
  installFastGradients,
  uninstallFastGradients,
} from '../kernels/subface/runtime/fast_gradients';
import { DataParallelStep } from './common_parallel';
import { StepConfig, TfjsStep } from './common_step';

const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = path.join(
  __dirname,
  '..',
  '..',
  'bench',
  'torch_train_step.py',
);
const CPU_BACKEND_SIZE = 64;

interface Options {
  size: number;
  batch: number;
  steps: number;
  warmup: number;
  rounds: number;
  classes: number;
  threads: number;
  workers: number;
  naive: boolean;
  cpu: boolean;
  profile: boolean;
}

const DEFAULT_OPTIONS: Options = {
  size: 112,
  batch: 32,
  steps: 5,
  warmup: 2,
  rounds: 2,
  classes: 1000,
  threads: 2,
  workers: 2,
  naive: false,
  cpu: false,
  profile: false,
};

function parseOptions(args: string[]): Options {
  const options = { ...DEFAULT_OPTIONS };
  const flags = ['naive', 'cpu', 'profile'] as const;
  const numbers = Object.keys(options).filter(
    (k) => typeof options[k as keyof Options] === 'number',
  );
  for (let i = 0; i < args.length; i++) {
    const name = args[i].replace(/^--/, '');
    if ((flags as readonly string[]).includes(name)) {
      options[name as (typeof flags)[number]] = true;
      continue;
    }
    const value = Number(args[i + 1]);
    if (!numbers.includes(name)) {
      const valid = [...numbers, ...flags].map((n) => `--${n}`).join(', ');
      throw new Error(
        `train_step: option must be one of ${valid}, but got '${args[i]}'`,
      );
    }
    const min = name === 'warmup' || name === 'workers' ? 0 : 1;
    if (!Number.isInteger(value) || value < min) {
      throw new Error(
        `train_step: --${name} must be an integer >= ${min}, but got ` +
          `'${args[i + 1]}'`,
      );
    }
    (options as unknown as Record<string, number>)[name] = value;
    i++;
  }
  return options;
}

function stepConfig(options: Options, size: number, batch: number): StepConfig {
  return { size, batch, classes: options.classes, dataSeed: 3 };
}

interface TorchResult {
  images_per_s: number;
  mean_step_s: number;
  step_s: number[];
  params_backbone: number;
  params_head: number;
  torch: string;
  threads: number;
}

function checkTorch(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `train_step: PyTorch must be importable by ${PYTHON}, but it is ` +
        `not (${(probe.stderr || String(probe.error)).trim()}). ` +
        'Run bench/setup-torch.sh (apt-get install python3-torch ' +
        'libopenblas0-pthread) first.',
    );
  }
}

function runTorch(options: Options): TorchResult {
  const args = [
    TORCH_SCRIPT,
    ...['--size', `${options.size}`, '--batch', `${options.batch}`],
    ...['--steps', `${options.steps}`, '--warmup', `${options.warmup}`],
    ...['--threads', `${options.threads}`, '--classes', `${options.classes}`],
  ];
  const result = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`train_step: torch run failed: ${result.stderr.trim()}`);
  }
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as TorchResult;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split(
    '\n',
  )[0];
}

/** Kernel time per kernel name over one step, largest first. */
async function profileStep(step: TfjsStep): Promise<[string, number][]> {
  const info = await tf.profile(() => {
    step.run();
  });
  const byKernel = new Map<string, number>();
  for (const kernel of info.kernels) {
    const ms = await kernel.kernelTimeMs;
    const key = `${kernel.name} ${JSON.stringify(kernel.inputShapes)}`;
    byKernel.set(key, (byKernel.get(key) ?? 0) + (ms as number));
  }
  return [...byKernel.entries()].sort((a, b) => b[1] - a[1]);
}

/** Times tfjs' own gradients on wasm, or reports what stops them. */
function naiveWasm(options: Options): Record<string, unknown> {
  uninstallFastGradients();
  const step = new TfjsStep(stepConfig(options, options.size, options.batch));
  try {
    const times = step.time(0, 1);
    return { ok: true, images_per_s: options.batch / mean(times) };
  } catch (error) {
    return { ok: false, error: firstLine(error) };
  } finally {
    step.dispose();
    installFastGradients();
  }
}

async function cpuBackend(options: Options): Promise<Record<string, unknown>> {
  await tf.setBackend('cpu');
  const step = new TfjsStep(
    stepConfig(options, CPU_BACKEND_SIZE, options.batch),
  );
  try {
    const times = step.time(0, 1);
    return {
      size: CPU_BACKEND_SIZE,
      step_s: times[0],
      images_per_s: options.batch / times[0],
    };
  } finally {
    step.dispose();
    await tf.setBackend('wasm');
  }
}

function printProfile(profile: [string, number][]): void {
  const byName = new Map<string, number>();
  let total = 0;
  for (const [kernel, ms] of profile) {
    const name = kernel.split(' ')[0];
    // customGrad scopes contain kernels that are listed on their own.
    if (name === 'unnamed') continue;
    byName.set(name, (byName.get(name) ?? 0) + ms);
    total += ms;
  }
  console.log(`profile of one step: ${total.toFixed(0)} ms in kernels`);
  for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1])) {
    if (ms >= 1) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
  }
  console.log('largest kernels by input shapes:');
  for (const [kernel, ms] of profile.slice(0, 20)) {
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${kernel}`);
  }
}

function rate(batch: number, rounds: number[][]): number {
  return mean(rounds.map((times) => batch / mean(times)));
}

export async function main(args: string[]): Promise<void> {
  const options = parseOptions(args);
  checkTorch();
  const runtime = await initRuntime({ backend: 'wasm' });
  installFastGradients();
  console.log(describeRuntime(runtime));

  const config = stepConfig(options, options.size, options.batch);
  const step = new TfjsStep(config);
  const macs = step.net.countMacs();
  const params = step.net.countParams();
  console.log(
    `net: ${params} backbone params, ` +
      `${(macs / 1e9).toFixed(4)} GMAC/image forward; ` +
      `size ${options.size}, batch ${options.batch}`,
  );
  const parallel =
    options.workers > 1
      ? await DataParallelStep.start(config, options.workers, step.size)
      : null;

  // Rounds interleave the runtimes so that load from elsewhere on the
  // machine hits them alike.
  const single: number[][] = [];
  const multi: number[][] = [];
  const torch: TorchResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    single.push(step.time(options.warmup, options.steps));
    let line = `round ${round + 1}: tfjs wasm 1 thread ${rate(
      options.batch,
      single.slice(-1),
    ).toFixed(1)} img/s`;
    if (parallel !== null) {
      multi.push(await parallel.time(options.warmup, options.steps));
      line += `, ${options.workers} workers ${rate(
        options.batch,
        multi.slice(-1),
      ).toFixed(1)} img/s`;
    }
    torch.push(runTorch(options));
    console.log(`${line}, torch ${torch[round].images_per_s.toFixed(1)} img/s`);
  }
  await parallel?.stop();
  if (options.profile) printProfile(await profileStep(step));
  step.dispose();

  const singleRate = rate(options.batch, single);
  const multiRate = parallel !== null ? rate(options.batch, multi) : 0;
  const torchRate = mean(torch.map((t) => t.images_per_s));
  const bestRate = Math.max(singleRate, multiRate);
  const naive = options.naive ? naiveWasm(options) : { skipped: 'use --naive' };
  const cpu = options.cpu
    ? await cpuBackend(options)
    : { skipped: 'use --cpu' };
  const threads = torch[0].threads;
  console.log(
    `tfjs wasm, fast gradients: 1 thread ${singleRate.toFixed(1)} img/s` +
      (parallel !== null
        ? `, ${options.workers} data-parallel workers ` +
          `${multiRate.toFixed(1)} img/s`
        : '') +
      `; torch ${threads} threads ${torchRate.toFixed(1)} img/s; ` +
      `ratio (best tfjs / torch) ${(bestRate / torchRate).toFixed(3)}`,
  );
  console.log(`naive wasm: ${JSON.stringify(naive)}`);
  console.log(`cpu backend: ${JSON.stringify(cpu)}`);

  console.log(
    JSON.stringify({
      name: 'train-step',
      ratio: bestRate / torchRate,
      ratio_one_thread: singleRate / torchRate,
      size: options.size,
      batch: options.batch,
      steps: options.steps,
      warmup: options.warmup,
      rounds: options.rounds,
      classes: options.classes,
      gmac_forward: macs / 1e9,
      tfjs: {
        backend: 'wasm',
        device: runtime.device,
        fast_gradients: true,
        images_per_s: singleRate,
        step_s: single,
        workers: options.workers,
        parallel_images_per_s: parallel !== null ? multiRate : null,
        parallel_step_s: multi,
        params_backbone: params,
      },
      torch: {
        version: torch[0].torch,
        threads,
        images_per_s: torchRate,
        step_s: torch.map((t) => t.step_s),
        params_backbone: torch[0].params_backbone,
      },
      naive_wasm: naive,
      cpu_backend: cpu,
      rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    }),
  );
}
