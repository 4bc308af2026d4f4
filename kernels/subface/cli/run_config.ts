/**
 * What one `subface train` run is made of: data, evaluation set, model,
 * head, training settings, report settings, seed and where it is
 * written. A JSON file (`--config run.json`) holds any part of it; flags
 * override single fields; `resolveRunConfig` (run_config_resolve.ts)
 * fills in the defaults below and validates.
 *
 * The defaults are the main job (`npm start`): ArcFace + SubFace (r 0.8,
 * exact sampler) on a small CpuResNet at 64 px, synthetic faces, 360
 * steps of 64 images, about five minutes on two CPU cores.
 */
import { BackboneName } from '../backbones/registry';
import { SyntheticDifficulty } from '../data/synthetic/config';
import { MarginConfig } from '../losses/margin_config';
import { PartialFcConfig } from '../losses/partial_fc';
import { SubFaceConfig } from '../losses/subface_config';
import { TrainConfig } from '../train/config';

/** The built-in synthetic identities (docs/synthetic-faces.md). */
export interface SyntheticDataConfig {
  kind: 'synthetic';
  /** People. Default 100. */
  numIdentities?: number;
  /** Images per person. Default 20. */
  imagesPerIdentity?: number;
  /** 'easy', 'medium' (default) or 'hard'. */
  difficulty?: SyntheticDifficulty;
  /** Seed of the people and their photos. Default: the run's seed. */
  seed?: number;
  /** Native side in pixels. Default 112. */
  size?: number;
}

/** One sub-folder of images per identity. */
export interface FolderDataConfig {
  kind: 'folder';
  path: string;
  /** Identities with fewer images are dropped. Default 2. */
  minImagesPerIdentity?: number;
  /** A TSV manifest (column 'path') selecting images. Default none. */
  manifest?: string | null;
  /**
   * With a pairs list as the evaluation set, leave every person named
   * in its used pairs (after fold selection) out of training, so the
   * test people are never trained on. Default true
   * (`--keep-eval-identities` turns it off).
   */
  excludeEvalIdentities?: boolean;
  /**
   * Centre crop of every image before resizing, as a fraction of each
   * side (0 < c <= 1): for photos whose face fills only the middle, such
   * as LFW's 250x250 (about 0.5). Also the default of eval.centerCrop.
   * Default 1 (no crop).
   */
  centerCrop?: number;
}

/** An InsightFace RecordIO pack (`<prefix>.rec`, `.idx`, property). */
export interface RecDataConfig {
  kind: 'rec';
  prefix: string;
  /** As FolderDataConfig.centerCrop (packs are usually aligned: 1). */
  centerCrop?: number;
}

export type DataConfig = SyntheticDataConfig | FolderDataConfig | RecDataConfig;

/**
 * Pairs of people never seen in training, after the synthetic training
 * people in the same seed's stream.
 */
export interface SyntheticEvalConfig {
  kind: 'synthetic';
  /** Held-out people. Default 50. */
  numIdentities?: number;
  /** Images per held-out person. Default 10. */
  imagesPerIdentity?: number;
  /** Pairs. Default 600. */
  numPairs?: number;
}

/** An LFW-style pairs list and its image folder. */
export interface PairsEvalConfig {
  kind: 'pairs';
  pairs: string;
  images: string;
  /** Keep only these folds (1-based). Default: all. */
  folds?: number[] | null;
}

/** An InsightFace verification pack, e.g. lfw.bin. */
export interface BinEvalConfig {
  kind: 'bin';
  path: string;
}

/**
 * Identities split off the training data (identity-disjoint) and
 * balanced pairs drawn among them: for folders and packs without a list.
 */
export interface SplitEvalConfig {
  kind: 'split';
  /** Share of identities held out. Default 0.2. */
  evalFraction?: number;
  /** Pairs. Default 600 (fewer when the held-out people allow less). */
  numPairs?: number;
}

export type EvalSetConfig =
  SyntheticEvalConfig | PairsEvalConfig | BinEvalConfig | SplitEvalConfig;

export interface EvalConfig {
  /**
   * The verification set. Default: 'synthetic' held-out pairs for
   * synthetic data, else an identity 'split'.
   */
  set?: EvalSetConfig;
  /** Steps between evaluations; 0: only at the end. Default 0. */
  every?: number;
  /**
   * Centre crop of each evaluation image before resizing (LFW: ~0.5).
   * Default: data.centerCrop (1 for synthetic data).
   */
  centerCrop?: number;
}

export interface ModelConfig {
  /** Registry name. Default 'cpu_resnet'. */
  backbone?: BackboneName;
  /** Side of the square input in pixels. Default 64. */
  inputSize?: number;
  /** Width of the embedding. Default 128. */
  embeddingDim?: number;
  /**
   * The backbone's other fields (e.g. stemChannels, stageChannels for
   * cpu_resnet). Default for cpu_resnet: stem 16, stages
   * [16, 32, 64, 128]; others: the family's defaults.
   */
  config?: Record<string, unknown>;
}

export interface HeadRunConfig {
  /** The margin. Default ArcFace, m 0.5, s 64. */
  margin?: MarginConfig;
  /** SubFace; null trains the full-feature head. Default r 0.8, exact. */
  subface?: SubFaceConfig | null;
  /** Partial FC; null samples every class. Default null. */
  partialFc?: PartialFcConfig | null;
}

/**
 * The trainer's settings (train/config.ts) with the run's length as
 * `steps` or `epochs`. checkpointDir is the run folder's.
 */
export interface TrainRunConfig extends Omit<
  TrainConfig,
  'totalSteps' | 'numEpochs' | 'checkpointDir' | 'evaluateEvery'
> {
  /** Steps of the run. Default 360 (when epochs is not given). */
  steps?: number | null;
  /** Epochs of the run, instead of steps. Default null. */
  epochs?: number | null;
}

/** What the report shows besides curves and the verification table. */
export interface ReportConfig {
  /** Held-out identities embedded for projection and heatmap. 20. */
  maxIdentities?: number;
  /** Largest number of points in the projection. Default 1000. */
  maxPoints?: number;
  /** Add a UMAP projection next to PCA. Default true. */
  umap?: boolean;
  /** Subspace blocks of the aggregation heatmap. Default 4. */
  numBlocks?: number;
}

export interface RunConfig {
  data?: DataConfig;
  eval?: EvalConfig;
  model?: ModelConfig;
  head?: HeadRunConfig;
  train?: TrainRunConfig;
  report?: ReportConfig;
  /** Default seed of every part that is not given its own. Default 0. */
  seed?: number;
  /** Run folder name. Default 'run-<yyyymmdd-hhmmss>'. */
  name?: string | null;
  /** Folder of run folders. Default 'runs'. */
  runsDir?: string;
  /** Backend: auto (default), cuda, tensorflow, wasm, cpu. */
  backend?: string;
}

/** A RunConfig with every default filled in. */
export interface ResolvedRunConfig {
  data:
    | Required<SyntheticDataConfig>
    | Required<FolderDataConfig>
    | Required<RecDataConfig>;
  eval: {
    set:
      | Required<SyntheticEvalConfig>
      | Required<PairsEvalConfig>
      | BinEvalConfig
      | Required<SplitEvalConfig>;
    every: number;
    centerCrop: number;
  };
  model: Required<ModelConfig>;
  head: Required<HeadRunConfig>;
  /** Ready for resolveTrainConfig; checkpointDir set when building. */
  train: TrainConfig;
  report: Required<ReportConfig>;
  seed: number;
  name: string;
  runsDir: string;
  backend: string;
}

export const DEFAULT_STEPS = 360;

export const DEFAULT_SYNTHETIC_DATA = {
  numIdentities: 100,
  imagesPerIdentity: 20,
  difficulty: 'medium' as SyntheticDifficulty,
  size: 112,
};

export const DEFAULT_SYNTHETIC_EVAL = {
  numIdentities: 50,
  imagesPerIdentity: 10,
  numPairs: 600,
};

export const DEFAULT_SPLIT_EVAL = { evalFraction: 0.2, numPairs: 600 };

export const DEFAULT_MODEL = {
  backbone: 'cpu_resnet' as BackboneName,
  inputSize: 64,
  embeddingDim: 128,
};

/** cpu_resnet's channels in the run default: 4x fewer than the class's. */
export const DEFAULT_CPU_RESNET_CHANNELS = {
  stemChannels: 16,
  stageChannels: [16, 32, 64, 128],
};

export const DEFAULT_HEAD: Required<HeadRunConfig> = {
  margin: { kind: 'arcface', margin: 0.5, scale: 64 },
  subface: { ratio: 0.8, sampler: 'exact' },
  partialFc: null,
};

/**
 * Trainer settings of the run default (others: the trainer's). The
 * schedule's default is polynomial decay after a linear warmup of
 * DEFAULT_WARMUP_STEPS, or of a tenth of a shorter `steps` run.
 */
export const DEFAULT_TRAIN: TrainRunConfig = {
  batchSize: 64,
  lr: 0.1,
  logEvery: 10,
  prefetch: 2,
};

export const DEFAULT_WARMUP_STEPS = 20;

export const DEFAULT_REPORT: Required<ReportConfig> = {
  maxIdentities: 20,
  maxPoints: 1000,
  umap: true,
  numBlocks: 4,
};

export const DEFAULT_RUNS_DIR = 'runs';
