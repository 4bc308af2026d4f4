/**
 * The data and evaluation parts of a run config: which images train,
 * which pairs score the model, and how both are cropped.
 */
import { resolveSyntheticFacesConfig } from '../data/synthetic/config';
import {
  DEFAULT_SPLIT_EVAL,
  DEFAULT_SYNTHETIC_DATA,
  DEFAULT_SYNTHETIC_EVAL,
  ResolvedRunConfig,
} from './run_config';
import {
  check,
  fail,
  integer,
  oneOf,
  section,
  text,
} from './run_config_checks';

/** A centre-crop fraction in (0, 1]. */
function cropFraction(what: string, value: unknown): number {
  if (!(typeof value === 'number' && value > 0 && value <= 1)) {
    fail(what, 'a number in (0, 1]', value);
  }
  return value;
}

/** The keys each kind of data config takes. */
const DATA_KEYS = {
  synthetic: [
    'kind',
    'numIdentities',
    'imagesPerIdentity',
    'difficulty',
    'seed',
    'size',
  ],
  folder: [
    'kind',
    'path',
    'minImagesPerIdentity',
    'manifest',
    'excludeEvalIdentities',
    'centerCrop',
  ],
  rec: ['kind', 'prefix', 'centerCrop'],
};

export function resolveData(
  raw: unknown,
  seed: number,
): ResolvedRunConfig['data'] {
  const kinds = ['synthetic', 'folder', 'rec'] as const;
  const anyKind = [...new Set(Object.values(DATA_KEYS).flat())];
  const base = section('data', raw, anyKind);
  const kind = oneOf('data.kind', base.kind ?? 'synthetic', kinds);
  if (kind !== 'folder' && base.excludeEvalIdentities !== undefined) {
    fail(
      'data.excludeEvalIdentities (--keep-eval-identities)',
      "given only for data.kind 'folder'",
      kind,
    );
  }
  if (kind === 'synthetic' && base.centerCrop !== undefined) {
    fail('data.centerCrop', "given only for 'folder' or 'rec' data", kind);
  }
  if (kind === 'folder') {
    section('data (folder)', raw, DATA_KEYS.folder);
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
      centerCrop: cropFraction('data.centerCrop', base.centerCrop ?? 1),
    };
  }
  if (kind === 'rec') {
    section('data (rec)', raw, DATA_KEYS.rec);
    return {
      kind,
      prefix: text('data.prefix', base.prefix),
      centerCrop: cropFraction('data.centerCrop', base.centerCrop ?? 1),
    };
  }
  const synthetic = section('data (synthetic)', raw, DATA_KEYS.synthetic);
  const { kind: _, ...given } = synthetic;
  const faces = { ...DEFAULT_SYNTHETIC_DATA, seed, ...given };
  check('data', () => resolveSyntheticFacesConfig(faces));
  return { ...faces, kind } as ResolvedRunConfig['data'];
}

/** Resolves `eval`; its crop defaults to the training data's. */
export function resolveEval(
  raw: unknown,
  data: ResolvedRunConfig['data'],
): ResolvedRunConfig['eval'] {
  const dataKind = data.kind;
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
  const dataCrop = data.kind === 'synthetic' ? 1 : data.centerCrop;
  const centerCrop = cropFraction(
    'eval.centerCrop',
    base.centerCrop ?? dataCrop,
  );
  return { set, every, centerCrop };
}
