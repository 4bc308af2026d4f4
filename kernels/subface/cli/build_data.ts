/**
 * The data of a run from its config: the training images, the
 * verification set, and a labelled set of held-out people for the
 * projection and the aggregation heatmap.
 */
import { readManifestTsv } from '../data/folder/manifest';
import { openImageFolder } from '../data/folder/image_folder';
import { splitByIdentity } from '../data/pipeline/split';
import { makeVerificationPairs } from '../data/pipeline/verification_pairs';
import { openInsightFaceRec } from '../data/recordio/insightface_source';
import { createSyntheticFaces } from '../data/synthetic/source';
import { createSyntheticVerificationSet } from '../data/synthetic/verification';
import { LabelledSource, VerificationSet } from '../data/types';
import { openVerificationPack } from '../data/verification/bin_pack';
import { openPairsList } from '../data/verification/pairs_set';
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
  /** Closes every open file. */
  close(): Promise<void>;
}

/** The training images named by `data`, before any split. */
export async function openTrainingSource(
  data: ResolvedRunConfig['data'],
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
  });
}

/** Opens everything a run reads. */
export async function openRunData(config: ResolvedRunConfig): Promise<RunData> {
  const source = await openTrainingSource(config.data);
  const set = config.eval.set;
  const closers: (() => Promise<void> | void)[] = [];
  if (source.close !== undefined) closers.push(() => source.close?.());
  const close = async () => {
    for (const closer of closers) await closer();
  };

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
  } else if (set.kind === 'pairs') {
    evalSet = await openPairsList(set.pairs, set.images, {
      onlyFolds: set.folds ?? undefined,
    });
  } else {
    await close();
    throw new Error(`openRunData: eval.set.kind ${set.kind} is not handled`);
  }
  if (evalSet.close !== undefined) closers.push(() => evalSet.close?.());
  return { train, evalSet, heldOut, close };
}
