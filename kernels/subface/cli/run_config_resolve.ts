/**
 * Checks a RunConfig and fills in its defaults. Errors name the field by
 * its path in the JSON file (`train.lr`, `data.kind`...), so a typo in
 * a config file is found without reading code. The library's own
 * resolvers check the parts they own (margin, SubFace, trainer,
 * backbone); their messages are prefixed with the section.
 */
import { BACKBONE_NAMES } from '../backbones/registry';
import { BACKEND_CHOICES } from '../runtime/backend';
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
  DEFAULT_STEPS,
  DEFAULT_TRAIN,
  DEFAULT_WARMUP_STEPS,
  ResolvedRunConfig,
  RunConfig,
} from './run_config';
import { checkBackboneConfig } from './backbone_check';
import {
  check,
  fail,
  integer,
  isObject,
  oneOf,
  section,
  text,
} from './run_config_checks';
import { resolveData, resolveEval } from './run_config_data';

export { ConfigError } from './run_config_checks';

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
  check('train', () => resolveTrainConfig(train), {
    resolveSchedule: 'schedule',
  });
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
    eval: resolveEval(base.eval, data),
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
