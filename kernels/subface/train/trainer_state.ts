/**
 * The JSON half of a trainer checkpoint (manifest.json's `state`) and
 * the restore of a whole checkpoint into freshly built parts.
 */
import * as tf from '@tensorflow/tfjs';

import { Backbone } from '../backbones/backbone';
import { BatchState } from '../data/pipeline/options';
import { HeadState, MarginSoftmaxHead } from '../losses/margin_head';
import { Checkpoint } from './checkpoint';
import { ResolvedTrainConfig } from './config';
import { CheckpointError } from './errors';
import {
  checkArrays,
  checkModel,
  describeModel,
  ModelDescription,
  NamedVariable,
  readSlots,
  writeVariables,
} from './model_state';
import { OptimizerKind, SlotOptimizer } from './optimizer';

/** manifest.json `state` of a trainer checkpoint. */
export interface TrainerState {
  /** Steps done. */
  step: number;
  /** Epoch of the next batch. */
  epoch: number;
  /**
   * Loss of the last step before the save, so that a resume can show it
   * continues where it stopped.
   */
  lastLoss: number | null;
  config: ResolvedTrainConfig;
  model: ModelDescription;
  /** The head's step and samplers (SubFace dims, Partial FC). */
  headState: HeadState;
  /** Where the data order continues. */
  dataState: BatchState;
  /** The layout of the optimizer's slots in weights.bin. */
  optimizer: {
    kind: OptimizerKind;
    iterations: number;
    slots: { param: string; slot: string }[];
  };
  /** Class names by label (an image folder's label map), or null. */
  labelMap: { version: 1; identities: string[] } | null;
  runtime: { backend: string; tfjsVersion: string };
}

/** What a restore writes into. */
export interface RestoreTarget {
  backbone: Backbone;
  head: MarginSoftmaxHead;
  variables: readonly NamedVariable[];
  optimizer: SlotOptimizer;
  classNames: readonly string[] | null;
}

function checkClassNames(
  where: string,
  saved: readonly string[] | null,
  current: readonly string[] | null,
): void {
  if (saved === null || current === null) return;
  const index = saved.findIndex((name, i) => name !== current[i]);
  if (saved.length !== current.length || index >= 0) {
    throw new CheckpointError(
      `${where}: the class names must be the checkpoint's ` +
        `(${saved.length} names), but got ${current.length} names, the ` +
        `first difference at label ${index < 0 ? saved.length : index}`,
    );
  }
}

/**
 * Checks `checkpoint` against `target` completely, then loads weights,
 * BN statistics, optimizer slots and the head's state. Nothing is
 * changed when a check fails.
 */
export function restoreCheckpoint(
  where: string,
  checkpoint: Checkpoint<TrainerState>,
  target: RestoreTarget,
): void {
  const state = checkpoint.manifest.state;
  const { backbone, head, variables, optimizer } = target;
  checkModel(where, state.model, describeModel(backbone, head));
  checkClassNames(where, state.labelMap?.identities ?? null, target.classNames);
  checkArrays(where, checkpoint, variables);
  const { kind, iterations } = state.optimizer;
  if (kind !== optimizer.kind) {
    throw new CheckpointError(
      `${where}: config.optimizer must be '${kind}' (the checkpoint's ` +
        `slots), but got '${optimizer.kind}'`,
    );
  }

  const slots = readSlots(where, checkpoint, kind, iterations, variables);
  try {
    optimizer.setSlots(slots);
  } finally {
    for (const named of Object.values(slots.tensors)) {
      tf.dispose(Object.values(named));
    }
  }
  writeVariables(checkpoint, variables);
  head.setState(state.headState);
}
