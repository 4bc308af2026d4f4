/**
 * The training loop: batches from a resumable stream, one step each
 * (train_step.ts) at the schedule's rate, structured logs to callbacks,
 * periodic evaluation and checkpoints, stop requests at step boundaries,
 * and resume from a checkpoint that continues the run exactly.
 */
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { Backbone } from '../backbones/backbone';
import { BatchStream, createBatches } from '../data/pipeline/batches';
import { BatchState } from '../data/pipeline/options';
import { LabelledSource } from '../data/types';
import { EmbedFunction } from '../eval/embed';
import { MarginSoftmaxHead } from '../losses/margin_head';
import { Adam } from './adam';
import { FileWriter, NODE_FILE_WRITER } from './atomic_files';
import { combineCallbacks } from './callbacks';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import {
  checkSameData,
  ResolvedTrainConfig,
  resolveTrainConfig,
  TrainConfig,
} from './config';
import { checkNumber, fail } from './errors';
import {
  closeAfterFailure,
  createDefaultFitCallbacks,
  DefaultFitCallbacks,
} from './fit_defaults';
import { FitLoop } from './fit_loop';
import {
  FitInterruptedError,
  fitInterrupted,
  trackRunningFit,
} from './fit_registry';
import { CheckpointLog, FitResult, TrainCallbacks } from './logs';
import {
  describeModel,
  NamedVariable,
  nameVariables,
  readArrays,
} from './model_state';
import { Param, SlotOptimizer } from './optimizer';
import {
  pruneRunFolder,
  resolveCheckpointPath,
  stepFolderName,
  writeLastGood,
} from './run_folder';
import { learningRateAt, ResolvedSchedule, resolveSchedule } from './schedule';
import { Sgd } from './sgd';
import { StepContext } from './train_step';
import { restoreCheckpoint, TrainerState } from './trainer_state';

export interface TrainerParts {
  backbone: Backbone;
  head: MarginSoftmaxHead;
  /** Training images; batches are made at the backbone's input size. */
  source: LabelledSource;
  config?: TrainConfig;
  /**
   * Names of the classes, saved with checkpoints so the class centres
   * keep meaning the same people. Default: `source.classNames`.
   */
  classNames?: readonly string[] | null;
  /** Where checkpoint files are written (tests inject failures). */
  writer?: FileWriter;
}

export interface FitOptions {
  /** Train this many more steps. */
  steps?: number;
  /** Train until this many more epochs have ended. */
  epochs?: number;
  /** Aborting stops at the next step boundary, like requestStop(). */
  signal?: AbortSignal;
  callbacks?: TrainCallbacks;
  /**
   * Whether the environment's default callbacks run too (in the
   * notebook kernel: live progress in the cell). Default true.
   */
  progress?: boolean;
}

function createOptimizer(config: ResolvedTrainConfig): SlotOptimizer {
  const { optimizer, momentum, weightDecay, adam } = config;
  if (optimizer === 'sgd') return new Sgd({ momentum, weightDecay });
  return new Adam({ ...adam, weightDecay, decoupled: optimizer === 'adamw' });
}

export class Trainer {
  readonly backbone: Backbone;
  readonly head: MarginSoftmaxHead;
  readonly source: LabelledSource;
  readonly config: ResolvedTrainConfig;
  readonly schedule: ResolvedSchedule;
  /** Batches per epoch (the last partial batch is dropped). */
  readonly stepsPerEpoch: number;
  /** Steps of the whole run: the schedule's length. */
  readonly totalSteps: number;
  readonly optimizer: SlotOptimizer;
  readonly classNames: readonly string[] | null;
  /** Every variable under its checkpoint name. */
  readonly variables: readonly NamedVariable[];
  /** The trainable ones, with their weight-decay flag. */
  readonly params: readonly Param[];
  /** What train_step.ts needs. */
  readonly stepContext: StepContext;
  private readonly writer: FileWriter;
  private readonly stream: BatchStream;
  private stepCount = 0;
  private lastLoss: number | null = null;
  private latestCheckpoint: string | null = null;
  private stopRequested = false;
  private running = false;
  private disposed = false;

  /**
   * @param dataState where the data order continues (a resume); null:
   *   from the start
   */
  constructor(parts: TrainerParts, dataState: BatchState | null = null) {
    const where = 'Trainer';
    const { backbone, head, source } = parts;
    if (backbone.embeddingDim !== head.embeddingDim) {
      fail(
        where,
        'head.embeddingDim',
        `the backbone's ${backbone.embeddingDim}`,
        head.embeddingDim,
      );
    }
    if (source.numClasses > head.numClasses) {
      fail(
        where,
        'head.numClasses',
        `>= the source's ${source.numClasses} classes`,
        head.numClasses,
      );
    }
    this.config = resolveTrainConfig(parts.config);
    const { batchSize, numEpochs, totalSteps } = this.config;
    if (batchSize > source.numImages) {
      fail(
        where,
        'config.batchSize',
        `<= the source's ${source.numImages} images`,
        batchSize,
      );
    }

    this.backbone = backbone;
    this.head = head;
    this.source = source;
    this.classNames = parts.classNames ?? source.classNames ?? null;
    this.writer = parts.writer ?? NODE_FILE_WRITER;
    this.stepsPerEpoch = Math.floor(source.numImages / batchSize);
    this.totalSteps = totalSteps ?? this.stepsPerEpoch * numEpochs;
    this.schedule = resolveSchedule(
      this.config.schedule,
      this.config.lr,
      this.totalSteps,
      this.stepsPerEpoch,
    );

    this.variables = nameVariables(backbone, head);
    const exclude = this.config.weightDecayExclude;
    this.params = this.variables
      .filter((v) => v.group !== 'backboneState')
      .map(({ name, variable }) => ({
        name,
        variable,
        decay: !exclude.some((part) => name.includes(part)),
      }));
    this.optimizer = createOptimizer(this.config);
    const clipAll = this.config.clipScope === 'all';
    this.stepContext = {
      backbone,
      head,
      optimizer: this.optimizer,
      params: this.params,
      clipNames: this.params
        .filter((p) => clipAll || p.name.startsWith('backbone/'))
        .map((p) => p.name),
      clipGradNorm: this.config.clipGradNorm,
      guardNonFinite: this.config.guardNonFinite,
    };
    this.stream = this.openStream(dataState);
  }

  /**
   * A trainer that continues from `target` (a checkpoint folder, or a run
   * folder whose last-good checkpoint is used). `parts` are built as for
   * the original run; their weights, the head's sampler, the optimizer,
   * the step and the data order are all replaced by the saved ones.
   * `parts.config` may change settings (e.g. lr to fine-tune) but not
   * the data order (batchSize, seed, shuffle, flip).
   */
  static async resume(target: string, parts: TrainerParts): Promise<Trainer> {
    const where = 'Trainer.resume';
    const folder = await resolveCheckpointPath(target);
    const checkpoint = await loadCheckpoint<TrainerState>(folder);
    const state = checkpoint.manifest.state;
    const config = resolveTrainConfig({ ...state.config, ...parts.config });
    checkSameData(where, state.config, config);

    const trainer = new Trainer({ ...parts, config }, state.dataState);
    try {
      restoreCheckpoint(where, checkpoint, trainer);
    } catch (error) {
      trainer.dispose();
      throw error;
    }
    trainer.stepCount = state.step;
    trainer.lastLoss = state.lastLoss;
    trainer.latestCheckpoint = checkpoint.path;
    return trainer;
  }

  /** Steps done (also the 0-based index of the next step). */
  get step(): number {
    return this.stepCount;
  }

  /** Epoch of the next batch. */
  get epoch(): number {
    return this.stream.getState().epoch;
  }

  /** The newest checkpoint written or resumed from, or null. */
  get lastCheckpoint(): string | null {
    return this.latestCheckpoint;
  }

  /** Learning rate of the next step. */
  learningRate(): number {
    return learningRateAt(this.schedule, this.stepCount);
  }

  /** Ends a running fit at the next step boundary, with a checkpoint. */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** Whether a stop was requested and not yet acted on. */
  get stopPending(): boolean {
    return this.stopRequested;
  }

  /**
   * Runs the backbone in inference mode: BN uses its moving statistics,
   * so a row's embedding does not depend on the rest of the batch.
   * @param images [batch, inputSize, inputSize, 3]
   * @returns rawEmbeddings [batch, embeddingDim]; the caller disposes
   */
  readonly embed: EmbedFunction = (images) =>
    tf.tidy(() => this.backbone.apply(images, { training: false }));

  /**
   * Trains `steps` more steps, or `epochs` more epochs, or (neither
   * given) until `totalSteps`. Resolves when done or stopped; rejects
   * with TrainingDivergedError on a non-finite loss or gradient, and
   * with FitInterruptedError when called from interrupted code.
   */
  async fit(options: FitOptions = {}): Promise<FitResult> {
    const where = 'Trainer.fit';
    if (this.running) fail(where, 'the trainer', 'idle', 'a running fit');
    if (this.disposed) fail(where, 'the trainer', 'undisposed', 'disposed');
    const { steps, epochs } = options;
    if (steps !== undefined && epochs !== undefined) {
      fail(where, 'options', 'steps or epochs, not both', options);
    }
    const count = { min: 0, integer: true };
    if (steps !== undefined) checkNumber(where, 'steps', steps, count);
    if (epochs !== undefined) checkNumber(where, 'epochs', epochs, count);
    if (fitInterrupted()) throw new FitInterruptedError(this.step);

    const defaults =
      options.progress === false
        ? null
        : createDefaultFitCallbacks({
            step: this.step,
            totalSteps: this.totalSteps,
            steps,
            epochs,
          });
    this.running = true;
    const untrack = trackRunningFit(this);
    let result: FitResult;
    try {
      result = await this.runLoop(options, defaults);
    } catch (error) {
      throw await closeAfterFailure(defaults, error);
    } finally {
      untrack();
      this.running = false;
      this.stopRequested = false;
    }
    await defaults?.close?.();
    return result;
  }

  /** Called by the loop after each applied step. */
  recordStep(loss: number): void {
    this.stepCount += 1;
    this.lastLoss = loss;
  }

  /**
   * Writes a checkpoint: into `dir` when given (replacing one there),
   * else as `step-<n>` in config.checkpointDir, then points last-good at
   * it and keeps the newest `keepCheckpoints`. Returns its folder.
   */
  async saveCheckpoint(dir?: string): Promise<CheckpointLog['path']> {
    const runDir = this.config.checkpointDir;
    if (dir === undefined && runDir === null) {
      fail(
        'Trainer.saveCheckpoint',
        'dir or config.checkpointDir',
        'a path',
        null,
      );
    }
    const folder = path.resolve(
      dir ?? path.join(runDir as string, stepFolderName(this.stepCount)),
    );
    const slots = this.optimizer.getSlots();
    try {
      const arrays = readArrays(this.variables, slots);
      const state = this.state(slots.iterations);
      await saveCheckpoint(folder, state, arrays, this.writer);
    } finally {
      for (const named of Object.values(slots.tensors)) {
        tf.dispose(Object.values(named));
      }
    }
    if (dir === undefined) {
      const pointer = { checkpoint: path.basename(folder), step: this.step };
      await writeLastGood(runDir as string, pointer, this.writer);
      await pruneRunFolder(runDir as string, this.config.keepCheckpoints);
    }
    this.latestCheckpoint = folder;
    return folder;
  }

  /**
   * Closes the data stream and frees the optimizer's slots. The backbone
   * and head stay usable: they belong to the caller.
   */
  dispose(): void {
    this.disposed = true;
    this.stream.close();
    this.optimizer.dispose();
  }

  private runLoop(
    options: FitOptions,
    defaults: DefaultFitCallbacks | null,
  ): Promise<FitResult> {
    const own = options.callbacks ?? {};
    const callbacks = defaults ? combineCallbacks(own, defaults) : own;
    return new FitLoop(this, this.stream, { ...options, callbacks }).run();
  }

  private openStream(state: BatchState | null): BatchStream {
    const { batchSize, seed, shuffle, flip, prefetch } = this.config;
    return createBatches(this.source, {
      batchSize,
      imageSize: this.backbone.inputSize,
      seed,
      shuffle,
      flip,
      prefetch,
      dropRemainder: true,
      // The trainer decides when to stop; the order itself never ends.
      numEpochs: Infinity,
      state: state ?? undefined,
    });
  }

  /** What manifest.json records besides the weights. */
  private state(iterations: number): TrainerState {
    const { optimizer } = this;
    const slots = optimizer
      .slotParams()
      .flatMap((param) => optimizer.slotNames.map((slot) => ({ param, slot })));
    const names = this.classNames;
    return {
      step: this.stepCount,
      epoch: this.epoch,
      lastLoss: this.lastLoss,
      config: structuredClone(this.config),
      model: describeModel(this.backbone, this.head),
      headState: this.head.getState(),
      dataState: this.stream.getState(),
      optimizer: { kind: optimizer.kind, iterations, slots },
      labelMap: names === null ? null : { version: 1, identities: [...names] },
      runtime: { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs },
    };
  }
}
