/**
 * The flags of `subface train`, and how each one lands in a RunConfig.
 * Every flag overrides the same field of `--config <file>`.
 */
import * as fs from 'node:fs';

import { Command, InvalidArgumentError } from 'commander';

import { BACKBONE_NAMES, BackboneName } from '../backbones/registry';
import { MARGIN_KINDS, MarginKind } from '../losses/margin_config';
import { SAMPLER_MODES, SamplerMode } from '../losses/subspace_sampler';
import { BACKEND_CHOICES } from '../runtime/backend';
import { fraction, positiveInteger } from './options';
import { RunConfig } from './run_config';
import { ConfigError } from './run_config_resolve';

export interface RunFlags {
  config?: string;
  backbone?: string;
  imageSize?: number;
  embeddingDim?: number;
  loss?: MarginKind;
  margin?: number;
  scale?: number;
  subface: boolean;
  subfaceRatio?: number;
  sampler?: SamplerMode;
  partialFc?: number;
  steps?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  data?: string;
  eval?: string;
  evalImages?: string;
  evalFolds?: number[];
  keepEvalIdentities?: boolean;
  centerCrop?: number;
  evalEvery?: number;
  seed?: number;
  name?: string;
  runsDir?: string;
  resume?: string;
  backend?: string;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && Number.isFinite(parsed))) {
    throw new InvalidArgumentError('It must be a positive number.');
  }
  return parsed;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError('It must be an integer >= 0.');
  }
  return parsed;
}

/** `--folds` / `--eval-folds`: '1' or '1,3,5', fold numbers >= 1. */
export function foldList(value: string): number[] {
  const folds = value.split(',').map((part) => Number(part.trim()));
  if (folds.some((fold) => !Number.isInteger(fold) || fold < 1)) {
    throw new InvalidArgumentError(
      'It must be fold numbers >= 1, separated by commas.',
    );
  }
  return folds;
}

function choice<T extends string>(options: readonly T[]) {
  return (value: string): T => {
    if (!options.includes(value as T)) {
      throw new InvalidArgumentError(
        `It must be one of ${options.join(', ')}.`,
      );
    }
    return value as T;
  };
}

/** Adds the run flags to `command`. */
export function addRunFlags(command: Command): Command {
  return command
    .option('--config <file>', 'JSON run config (flags override it)')
    .option(
      '--data <source>',
      "'synthetic', an image folder (one sub-folder per identity) or an " +
        'InsightFace pack (<prefix>.rec)',
    )
    .option(
      '--eval <set>',
      "'synthetic' (held-out people), 'split' (held-out identities of " +
        'the data), a .bin pack, or a pairs list with --eval-images',
    )
    .option('--eval-images <folder>', 'image folder of a pairs list')
    .option(
      '--eval-folds <list>',
      "folds of a pairs list to evaluate on, e.g. '1' or '1,2' " +
        '(default: all)',
      foldList,
    )
    .option(
      '--center-crop <fraction>',
      'keep the centre of every image (training and evaluation) before ' +
        "resizing, e.g. 0.5 for LFW's 250x250 photos (default 1)",
      fraction,
    )
    .option(
      '--keep-eval-identities',
      'train on a folder also on the people of the pairs list (by ' +
        'default they are left out of training)',
    )
    .option(
      '--eval-every <steps>',
      'also evaluate every this many steps (0: only at the end)',
      nonNegativeInteger,
    )
    .option(
      '--backbone <name>',
      `network: ${BACKBONE_NAMES.join(', ')}`,
      choice(BACKBONE_NAMES),
    )
    .option('--image-size <pixels>', 'input side', positiveInteger)
    .option('--embedding-dim <n>', 'embedding width', positiveInteger)
    .option(
      '--loss <kind>',
      `margin softmax: ${MARGIN_KINDS.join(', ')} (another kind than ` +
        "the config file's drops its margin and scale)",
      choice(MARGIN_KINDS),
    )
    .option('--margin <m>', 'ArcFace m2 or CosFace m3', positiveNumber)
    .option('--scale <s>', 'logit scale s', positiveNumber)
    .option('--subface-ratio <r>', 'SubFace ratio r in (0, 1]', fraction)
    .option('--no-subface', 'train the full-feature head (no SubFace)')
    .option(
      '--sampler <mode>',
      `SubFace sampler: ${SAMPLER_MODES.join(', ')}`,
      choice(SAMPLER_MODES),
    )
    .option('--partial-fc <rate>', 'Partial FC sample rate', fraction)
    .option('--steps <n>', 'training steps of the run', positiveInteger)
    .option(
      '--epochs <n>',
      'training epochs (instead of steps)',
      positiveInteger,
    )
    .option('--batch-size <n>', 'images per step', positiveInteger)
    .option('--lr <rate>', 'peak learning rate', positiveNumber)
    .option(
      '--seed <n>',
      'seed of data, model and sampling',
      nonNegativeInteger,
    )
    .option('--name <name>', 'run folder name (default run-<date-time>)')
    .option('--runs-dir <folder>', 'folder of run folders (default runs)')
    .option(
      '--resume <run|checkpoint>',
      'continue a run folder (or from one checkpoint folder)',
    )
    .option(
      '--backend <name>',
      `tfjs backend: auto, ${BACKEND_CHOICES.join(', ')}`,
    );
}

/** `--data` as a data config: 'synthetic', a .rec pack or a folder. */
export function dataFromFlag(value: string): RunConfig['data'] {
  if (value === 'synthetic') return { kind: 'synthetic' };
  if (value.endsWith('.rec')) {
    return { kind: 'rec', prefix: value.slice(0, -'.rec'.length) };
  }
  if (fs.existsSync(`${value}.rec`)) return { kind: 'rec', prefix: value };
  return { kind: 'folder', path: value };
}

/** A set flag (and its images flag) as an evaluation set config. */
function evalSetFromFlag(
  value: string,
  images: string | undefined,
  imagesFlag: string,
): NonNullable<RunConfig['eval']>['set'] {
  if (value === 'synthetic' || value === 'split') return { kind: value };
  if (value.endsWith('.bin')) return { kind: 'bin', path: value };
  if (images === undefined) {
    throw new ConfigError(
      `${imagesFlag} must name the image folder of the pairs list ` +
        `${value}, but got none`,
    );
  }
  return { kind: 'pairs', pairs: value, images };
}

/** A copy of `value` without undefined fields (and no empty objects). */
function prune(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const entries = Object.entries(value)
    .map(([key, field]) => [key, prune(field)] as const)
    .filter(([, field]) => field !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function headFromFlags(flags: RunFlags): RunConfig['head'] {
  const head: NonNullable<RunConfig['head']> = {};
  if (flags.loss !== undefined || flags.margin !== undefined) {
    head.margin = { kind: flags.loss, margin: flags.margin };
  }
  if (flags.scale !== undefined) {
    head.margin = { ...head.margin, scale: flags.scale };
  }
  if (!flags.subface) {
    head.subface = null;
  } else if (flags.subfaceRatio !== undefined || flags.sampler) {
    head.subface = { ratio: flags.subfaceRatio, sampler: flags.sampler };
  }
  if (flags.partialFc !== undefined) {
    head.partialFc = { sampleRate: flags.partialFc };
  }
  return head;
}

/**
 * `--data`, `--center-crop` and `--keep-eval-identities` as a partial
 * data config; without --data they land on the config file's data.
 */
function dataFromFlags(flags: RunFlags): RunConfig['data'] {
  let data = flags.data === undefined ? undefined : dataFromFlag(flags.data);
  if (flags.centerCrop !== undefined) {
    data = { ...data, centerCrop: flags.centerCrop } as RunConfig['data'];
  }
  if (!flags.keepEvalIdentities) return data;
  return { ...data, excludeEvalIdentities: false } as RunConfig['data'];
}

/** An evaluation set as named on a command line (train or eval). */
export interface SetFlags {
  /** 'synthetic', 'split', a .bin pack or a pairs list. */
  set?: string;
  /** The image folder of a pairs list. */
  images?: string;
  folds?: number[];
  /** The name of the images flag in this command, for messages. */
  imagesFlag: string;
}

/**
 * The set flags as a partial set config; folds without a set land on
 * the configured (or the run's) pairs list.
 */
export function evalSetFromFlags(
  flags: SetFlags,
): NonNullable<RunConfig['eval']>['set'] {
  const set =
    flags.set === undefined
      ? undefined
      : evalSetFromFlag(flags.set, flags.images, flags.imagesFlag);
  if (flags.folds === undefined) return set;
  return { ...set, folds: flags.folds } as NonNullable<
    RunConfig['eval']
  >['set'];
}

/** The fields the flags set, as a partial RunConfig. */
export function runConfigFromFlags(flags: RunFlags): RunConfig {
  const { steps, epochs } = flags;
  const config: RunConfig = {
    data: dataFromFlags(flags),
    eval: {
      every: flags.evalEvery,
      set: evalSetFromFlags({
        set: flags.eval,
        images: flags.evalImages,
        folds: flags.evalFolds,
        imagesFlag: '--eval-images',
      }),
    },
    model: {
      backbone: flags.backbone as BackboneName | undefined,
      inputSize: flags.imageSize,
      embeddingDim: flags.embeddingDim,
    },
    head: headFromFlags(flags),
    train: {
      // One of steps and epochs given on the command line wins over
      // the other one from a file.
      steps: epochs !== undefined && steps === undefined ? null : steps,
      epochs: steps !== undefined && epochs === undefined ? null : epochs,
      batchSize: flags.batchSize,
      lr: flags.lr,
    },
    seed: flags.seed,
    name: flags.name,
    runsDir: flags.runsDir,
    backend: flags.backend,
  };
  return (prune(config) ?? {}) as RunConfig;
}
