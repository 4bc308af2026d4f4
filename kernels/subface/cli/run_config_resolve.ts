/**
 * Checks a RunConfig and fills in its defaults. Errors name the field by
 * its path in the JSON file (`train.lr`, `data.kind`...), so a typo in
 * a config file is found without reading code. The library's own
 * resolvers check the parts they own (margin, SubFace, trainer,
 * backbone); their messages are prefixed with the section.
 */
import { BACKBONE_NAMES } from '../backbones/registry';
import { BACKEND_CHOICES } from '../runtime/backend';
import { resolveSyntheticFacesConfig } from '../data/synthetic/config';
import { resolveMarginConfig } from '../losses/margin_config';
import { resolvePartialFcConfig } from '../losses/partial_fc';
import { resolveSubFaceConfig } from '../losses/subface_config';
import { resolveTrainConfig, TrainConfig } from '../train/config';
import {
  DEFAULT_CPU_RESNET_CHANNELS,
  DEFAULT_HEAD,
  DEFAULT_MODEL,
  DEFAULT_REPORT,
  DEFAULT_RUNS_DIR,
  DEFAULT_SPLIT_EVAL,
  DEFAULT_STEPS,
  DEFAULT_SYNTHETIC_DATA,
  DEFAULT_SYNTHETIC_EVAL,
  DEFAULT_TRAIN,
  DEFAULT_WARMUP_STEPS,
  ResolvedRunConfig,
  RunConfig,
} from './run_config';
import { checkBackboneConfig } from './backbone_check';

/** A run config that cannot be used: shown without a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const WHERE = 'run config';

type Json = Record<string, unknown>;

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

function fail(what: string, expected: string, actual: unknown): never {
  throw new ConfigError(
    `${WHERE}: ${what} must be ${expected}, but got ${show(actual)}`,
  );
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` as an object with only `keys` (undefined: {}). */
function section(what: string, value: unknown, keys: string[]): Json {
  if (value === undefined) return {};
  if (!isObject(value)) fail(what, 'an object', value);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      fail(`${what} key '${key}'`, `one of ${keys.join(', ')}`, key);
    }
  }
  return value;
}

function integer(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(what, `an integer >= ${min}`, value);
  }
  return value;
}

function text(what: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    fail(what, 'a non-empty string', value);
  }
  return value;
}

function oneOf<T extends string>(
  what: string,
  value: unknown,
  options: readonly T[],
): T {
  if (!options.includes(value as T)) fail(what, options.join(' | '), value);
  return value as T;
}

/** Runs a library resolver, prefixing its error with the section. */
function check<T>(what: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${WHERE}: ${what}: ${(error as Error).message}`);
  }
}

function resolveData(raw: unknown, seed: number): ResolvedRunConfig['data'] {
  const kinds = ['synthetic', 'folder', 'rec'] as const;
  const base = section('data', raw, [
    'kind',
    'numIdentities',
    'imagesPerIdentity',
    'difficulty',
    'seed',
    'size',
    'path',
    'minImagesPerIdentity',
    'manifest',
    'excludeEvalIdentities',
    'prefix',
  ]);
  const kind = oneOf('data.kind', base.kind ?? 'synthetic', kinds);
  if (kind === 'folder') {
    section('data (folder)', raw, [
      'kind',
      'path',
      'minImagesPerIdentity',
      'manifest',
      'excludeEvalIdentities',
    ]);
    const manifest = base.manifest ?? null;
    const exclude = base.excludeEvalIdentities ?? true;
    if (typeof exclude !== 'boolean') {
      fail('data.excludeEvalIdentities', 'true or false', exclude);
    }
    return {
      kind,
      path: text('data.path', base.path),
      minImagesPerIdentity: integer(
        'data.minImagesPerIdentity',
        base.minImagesPerIdentity ?? 2,
        1,
      ),
      manifest: manifest === null ? null : text('data.manifest', manifest),
      excludeEvalIdentities: exclude,
    };
  }
  if (kind === 'rec') {
    section('data (rec)', raw, ['kind', 'prefix']);
    return { kind, prefix: text('data.prefix', base.prefix) };
  }
  const synthetic = section('data (synthetic)', raw, [
    'kind',
    'numIdentities',
    'imagesPerIdentity',
    'difficulty',
    'seed',
    'size',
  ]);
  const { kind: _, ...given } = synthetic;
  const faces = { ...DEFAULT_SYNTHETIC_DATA, seed, ...given };
  check('data', () => resolveSyntheticFacesConfig(faces));
  return { ...faces, kind } as ResolvedRunConfig['data'];
}

function resolveEval(
  raw: unknown,
  dataKind: string,
): ResolvedRunConfig['eval'] {
  const base = section('eval', raw, ['set', 'every', 'centerCrop']);
  const kinds = ['synthetic', 'pairs', 'bin', 'split'] as const;
  const setRaw = section('eval.set', base.set, [
    'kind',
    'numIdentities',
    'imagesPerIdentity',
    'numPairs',
    'pairs',
    'images',
    'folds',
    'path',
    'evalFraction',
  ]);
  const fallback = dataKind === 'synthetic' ? 'synthetic' : 'split';
  const kind = oneOf('eval.set.kind', setRaw.kind ?? fallback, kinds);
  if (kind !== 'pairs' && setRaw.folds !== undefined) {
    fail('eval.set.folds', "given only for eval.set.kind 'pairs'", kind);
  }
  let set: ResolvedRunConfig['eval']['set'];
  if (kind === 'synthetic') {
    if (dataKind !== 'synthetic') {
      fail('eval.set.kind', "'split', 'pairs' or 'bin' for this data", kind);
    }
    set = { ...DEFAULT_SYNTHETIC_EVAL, ...setRaw, kind };
    integer('eval.set.numIdentities', set.numIdentities, 2);
    integer('eval.set.imagesPerIdentity', set.imagesPerIdentity, 2);
    integer('eval.set.numPairs', set.numPairs, 10);
  } else if (kind === 'pairs') {
    const folds = setRaw.folds ?? null;
    if (folds !== null) {
      const ok = Array.isArray(folds) && folds.every((f) => f >= 1);
      if (!ok) fail('eval.set.folds', 'a list of fold numbers >= 1', folds);
    }
    set = {
      kind,
      pairs: text('eval.set.pairs', setRaw.pairs),
      images: text('eval.set.images', setRaw.images),
      folds: folds as number[] | null,
    };
  } else if (kind === 'bin') {
    set = { kind, path: text('eval.set.path', setRaw.path) };
  } else {
    set = { ...DEFAULT_SPLIT_EVAL, ...setRaw, kind };
    const fraction = set.evalFraction;
    if (!(typeof fraction === 'number' && fraction > 0 && fraction < 1)) {
      fail('eval.set.evalFraction', 'a number in (0, 1)', fraction);
    }
    integer('eval.set.numPairs', set.numPairs, 10);
  }
  const every = integer('eval.every', base.every ?? 0, 0);
  const centerCrop = base.centerCrop ?? 1;
  if (!(typeof centerCrop === 'number' && centerCrop > 0 && centerCrop <= 1)) {
    fail('eval.centerCrop', 'a number in (0, 1]', centerCrop);
  }
  return { set, every, centerCrop };
}

function resolveModel(raw: unknown, seed: number) {
  const base = section('model', raw, [
    'backbone',
    'inputSize',
    'embeddingDim',
    'config',
  ]);
  const backbone = oneOf(
    'model.backbone',
    base.backbone ?? DEFAULT_MODEL.backbone,
    BACKBONE_NAMES,
  );
  const inputSize = integer(
    'model.inputSize',
    base.inputSize ?? DEFAULT_MODEL.inputSize,
    8,
  );
  const embeddingDim = integer(
    'model.embeddingDim',
    base.embeddingDim ?? DEFAULT_MODEL.embeddingDim,
    2,
  );
  const given = base.config ?? {};
  if (!isObject(given)) fail('model.config', 'an object', given);
  const extra = backbone === 'cpu_resnet' ? DEFAULT_CPU_RESNET_CHANNELS : {};
  const config = { seed, ...extra, ...given };
  check('model.config', () =>
    checkBackboneConfig(backbone, { ...config, inputSize, embeddingDim }),
  );
  return { backbone, inputSize, embeddingDim, config };
}

function resolveHead(raw: unknown): ResolvedRunConfig['head'] {
  const base = section('head', raw, ['margin', 'subface', 'partialFc']);
  const head = { ...DEFAULT_HEAD, ...base } as ResolvedRunConfig['head'];
  check('head.margin', () => resolveMarginConfig(head.margin));
  if (head.subface !== null) {
    check('head.subface', () => resolveSubFaceConfig(head.subface ?? {}));
  }
  if (head.partialFc !== null) {
    check('head.partialFc', () => resolvePartialFcConfig(head.partialFc ?? {}));
  }
  return head;
}

function resolveTrain(raw: unknown, seed: number): TrainConfig {
  const given = raw === undefined ? {} : raw;
  if (!isObject(given)) fail('train', 'an object', given);
  const { steps, epochs, ...rest } = { ...DEFAULT_TRAIN, seed, ...given };
  for (const key of ['totalSteps', 'numEpochs', 'checkpointDir']) {
    if (key in rest) fail(`train key '${key}'`, "'steps' or 'epochs'", key);
  }
  if (steps != null && epochs != null) {
    fail('train', 'given steps or epochs, not both', { steps, epochs });
  }
  const train: TrainConfig = { ...rest, checkpointDir: null };
  if (epochs != null) {
    train.numEpochs = integer('train.epochs', epochs, 1);
  } else {
    train.totalSteps = integer('train.steps', steps ?? DEFAULT_STEPS, 1);
  }
  if (train.schedule === undefined) {
    const short = Math.floor((train.totalSteps ?? Infinity) / 10);
    const warmupSteps = Math.min(DEFAULT_WARMUP_STEPS, short);
    train.schedule = { kind: 'polynomial', warmupSteps };
  }
  check('train', () => resolveTrainConfig(train));
  return train;
}

/** Fills in defaults and validates; returns a new, JSON-safe object. */
export function resolveRunConfig(config: RunConfig = {}): ResolvedRunConfig {
  const base = section('the config', structuredClone(config), [
    'data',
    'eval',
    'model',
    'head',
    'train',
    'report',
    'seed',
    'name',
    'runsDir',
    'backend',
  ]);
  const seed = integer('seed', base.seed ?? 0, 0);
  const data = resolveData(base.data, seed);
  const report = {
    ...DEFAULT_REPORT,
    ...section('report', base.report, Object.keys(DEFAULT_REPORT)),
  };
  integer('report.maxIdentities', report.maxIdentities, 2);
  integer('report.maxPoints', report.maxPoints, 2);
  integer('report.numBlocks', report.numBlocks, 1);
  if (typeof report.umap !== 'boolean')
    fail('report.umap', 'true or false', report.umap);
  const name = base.name ?? null;
  const backend = base.backend ?? 'auto';
  oneOf('backend', backend, ['auto', ...BACKEND_CHOICES]);
  return {
    data,
    eval: resolveEval(base.eval, data.kind),
    model: resolveModel(base.model, seed),
    head: resolveHead(base.head),
    train: resolveTrain(base.train, seed),
    report,
    seed,
    name: name === null ? defaultRunName(new Date()) : runName(name),
    runsDir: text('runsDir', base.runsDir ?? DEFAULT_RUNS_DIR),
    backend: backend as string,
  };
}

/** A run name is one folder name: no separators, no dot names. */
function runName(value: unknown): string {
  const name = text('name', value);
  if (/[/\\]/.test(name) || name === '.' || name === '..') {
    fail('name', 'a folder name without / or \\', name);
  }
  return name;
}

/** 'run-20250131-142501' in local time. */
export function defaultRunName(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(
    date.getDate(),
  )}`;
  const time = `${two(date.getHours())}${two(date.getMinutes())}${two(
    date.getSeconds(),
  )}`;
  return `run-${day}-${time}`;
}
