/**
 * The data of a run from its config: the training images, the
 * verification set, and a labelled set of held-out people for the
 * projection and the aggregation heatmap.
 */
import { readManifestTsv } from '../data/folder/manifest';
import {
  ImageFolderSource,
  openImageFolder,
} from '../data/folder/image_folder';
import { compareBytes } from '../data/folder/label_map';
import { withCenterCrop } from '../data/pipeline/center_crop';
import { splitByIdentity } from '../data/pipeline/split';
import { makeVerificationPairs } from '../data/pipeline/verification_pairs';
import { openInsightFaceRec } from '../data/recordio/insightface_source';
import { createSyntheticFaces } from '../data/synthetic/source';
import { createSyntheticVerificationSet } from '../data/synthetic/verification';
import { LabelledSource, VerificationSet } from '../data/types';
import { openVerificationPack } from '../data/verification/bin_pack';
import { openPairsList, PairsListSet } from '../data/verification/pairs_set';
import { ResolvedRunConfig } from './run_config';

export interface RunData {
  /** Training images (the train side of a split). */
  train: LabelledSource;
  evalSet: VerificationSet;
  /**
   * People never trained on, with labels: the held-out split or the
   * synthetic held-out people; null when the evaluation set comes from
   * elsewhere (then the report's projection uses training people).
   */
  heldOut: LabelledSource | null;
  /**
   * The people of the evaluation pairs left out of a training folder
   * (data.excludeEvalIdentities); null when nothing was asked.
   */
  evalExclusion: EvalExclusion | null;
  /** Closes every open file. */
  close(): Promise<void>;
}

/** How a training folder was kept apart from the evaluation pairs. */
export interface EvalExclusion {
  /** Distinct names in the evaluation pairs used. */
  numEvalNames: number;
  /** Training identities removed because the pairs name them. */
  numExcludedIdentities: number;
}

/** The distinct names of the pairs a pairs-list set keeps, sorted. */
export function pairsNames(set: PairsListSet): string[] {
  const names = new Set(set.entries.flatMap((e) => [e.nameA, e.nameB]));
  return [...names].sort(compareBytes);
}

/**
 * The training images named by `data`, before any split; a folder
 * leaves out `excludeIdentities`.
 */
export async function openTrainingSource(
  data: ResolvedRunConfig['data'],
  excludeIdentities: readonly string[] = [],
): Promise<LabelledSource> {
  if (data.kind === 'synthetic') {
    const { kind: _, ...faces } = data;
    return createSyntheticFaces(faces);
  }
  if (data.kind === 'rec') return openInsightFaceRec(data.prefix);
  const manifest =
    data.manifest === null ? undefined : await readManifestTsv(data.manifest);
  return openImageFolder(data.path, {
    minImagesPerIdentity: data.minImagesPerIdentity,
    manifest,
    excludeIdentities,
  });
}

/** Opens everything a run reads. */
export async function openRunData(config: ResolvedRunConfig): Promise<RunData> {
  const set = config.eval.set;
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers) await closer();
  };

  // A pairs list opens first: its people must stay out of training.
  let pairs: PairsListSet | null = null;
  let excluded: string[] = [];
  if (set.kind === 'pairs') {
    pairs = await openPairsList(set.pairs, set.images, {
      onlyFolds: set.folds ?? undefined,
    });
    const opened = pairs;
    closers.push(() => opened.close?.());
    const data = config.data;
    if (data.kind === 'folder' && data.excludeEvalIdentities) {
      excluded = pairsNames(pairs);
    }
  }
  let source: LabelledSource;
  try {
    source = await openTrainingSource(config.data, excluded);
  } catch (error) {
    await close();
    throw error;
  }
  if (source.close !== undefined) closers.push(() => source.close?.());
  let evalExclusion: EvalExclusion | null = null;
  if (excluded.length > 0 && source instanceof ImageFolderSource) {
    const names = new Set(excluded);
    const removed = source.report.excludedIdentities.filter((n) =>
      names.has(n),
    );
    evalExclusion = {
      numEvalNames: names.size,
      numExcludedIdentities: removed.length,
    };
  }

  // The crop applies to every read of the training data, held-out
  // people included; evaluation reads name eval.centerCrop themselves.
  const data = config.data;
  if (data.kind !== 'synthetic') {
    source = withCenterCrop(source, data.centerCrop);
  }
  let train = source;
  let evalSet: VerificationSet;
  let heldOut: LabelledSource | null = null;
  if (set.kind === 'synthetic' && config.data.kind === 'synthetic') {
    const { kind: _, ...faces } = config.data;
    const options = {
      numIdentities: set.numIdentities,
      imagesPerIdentity: set.imagesPerIdentity,
    };
    evalSet = createSyntheticVerificationSet(faces, {
      ...options,
      numPairs: set.numPairs,
    });
    heldOut = createSyntheticFaces({
      ...faces,
      ...options,
      firstIdentity: faces.numIdentities,
    });
  } else if (set.kind === 'split') {
    const split = splitByIdentity(source, {
      evalFraction: set.evalFraction,
      seed: config.seed,
    });
    train = split.train;
    heldOut = split.eval;
    evalSet = makeVerificationPairs(split.eval, {
      numPairs: set.numPairs,
      seed: config.seed,
      hashSize: config.model.inputSize,
      name: `split pairs (${split.eval.description})`,
    });
  } else if (set.kind === 'bin') {
    evalSet = await openVerificationPack(set.path);
  } else if (pairs !== null) {
    evalSet = pairs;
  } else {
    await close();
    throw new Error(`openRunData: eval.set.kind ${set.kind} is not handled`);
  }
  if (evalSet !== pairs && evalSet.close !== undefined) {
    closers.push(() => evalSet.close?.());
  }
  return { train, evalSet, heldOut, evalExclusion, close };
}
