/**
 * Training: the trainer, its optimizers and LR schedules, gradient
 * clipping, checkpoints, logs and stop handling.
 */
export { CheckpointError, TrainError, TrainingDivergedError } from './errors';
export type { DivergenceDetails } from './errors';
export { OPTIMIZER_KINDS, SlotOptimizer } from './optimizer';
export type { OptimizerKind, OptimizerSlots, Param } from './optimizer';
export { DEFAULT_SGD_CONFIG, Sgd } from './sgd';
export type { SgdConfig } from './sgd';
export { Adam, DEFAULT_ADAM_CONFIG } from './adam';
export type { AdamConfig } from './adam';
export {
  DEFAULT_SCHEDULE_CONFIG,
  learningRateAt,
  resolveSchedule,
  SCHEDULE_KINDS,
} from './schedule';
export type {
  ResolvedSchedule,
  ScheduleConfig,
  ScheduleKind,
} from './schedule';
export {
  CLIP_EPSILON,
  clipByGlobalNorm,
  clipFactor,
  globalNorm,
  scaleGradients,
  sumOfSquares,
} from './clip';
export {
  CLIP_SCOPES,
  DATA_KEYS,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
} from './config';
export type { ClipScope, ResolvedTrainConfig, TrainConfig } from './config';
export { consoleSink, formatDuration, formatStepLog } from './logs';
export type {
  CheckpointLog,
  EpochLog,
  EvaluateContext,
  FitEndReason,
  FitResult,
  StepLog,
  TrainCallbacks,
} from './logs';
export {
  NODE_FILE_WRITER,
  writeFileAtomically,
  writeFolderAtomically,
} from './atomic_files';
export type { FileWriter, FolderFile } from './atomic_files';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  loadCheckpoint,
  MANIFEST_FILE,
  saveCheckpoint,
  WEIGHTS_FILE,
} from './checkpoint';
export type {
  Checkpoint,
  CheckpointManifest,
  NamedArray,
  WeightEntry,
  WeightGroup,
} from './checkpoint';
export {
  LAST_GOOD_FILE,
  readLastGood,
  resolveCheckpointPath,
  stepFolderName,
} from './run_folder';
export type { LastGood } from './run_folder';
export { describeModel, nameVariables } from './model_state';
export type { ModelDescription, NamedVariable } from './model_state';
export type { TrainerState } from './trainer_state';
export { trainStep } from './train_step';
export type { StepContext, StepOutcome } from './train_step';
export { Trainer } from './trainer';
export type { FitOptions, TrainerParts } from './trainer';
export { createTrainer } from './create_trainer';
export type { CreateTrainerOptions } from './create_trainer';
export { installSigintHandler } from './stop';
export type { Stoppable } from './stop';
export {
  loadModelFromCheckpoint,
  marginConfigOf,
  subFaceConfigOf,
} from './load_model';
export type { LoadedModel } from './load_model';
export { combineCallbacks } from './callbacks';
export { setDefaultFitCallbacks } from './fit_defaults';
export type {
  DefaultFitCallbacks,
  DefaultFitCallbacksFactory,
  DefaultFitContext,
} from './fit_defaults';
export {
  FitInterruptedError,
  runningFitCount,
  stopRunningFits,
} from './fit_registry';
