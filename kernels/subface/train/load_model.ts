/**
 * A trained model back from a checkpoint alone: the manifest records the
 * backbone's name and config, the head's settings and the label map, so
 * evaluation, embedding and analysis need no run config.
 */
import { Backbone } from '../backbones/backbone';
import { createBackbone } from '../backbones/registry';
import { MarginConfig, ResolvedMargin } from '../losses/margin_config';
import { MarginSoftmaxHead } from '../losses/margin_head';
import { ResolvedSubFace, SubFaceConfig } from '../losses/subface_config';
import { SubFaceHead } from '../losses/subface_head';
import { loadCheckpoint } from './checkpoint';
import { CheckpointError } from './errors';
import { checkArrays, nameVariables, writeVariables } from './model_state';
import { resolveCheckpointPath } from './run_folder';
import { TrainerState } from './trainer_state';

export interface LoadedModel {
  backbone: Backbone;
  head: MarginSoftmaxHead;
  /** Class names by label, or null when the data had none. */
  classNames: string[] | null;
  /** The checkpoint folder read. */
  path: string;
  /** Steps trained when it was saved. */
  step: number;
  state: TrainerState;
}

/** The MarginConfig that resolves to `margin` (the manifest's form). */
export function marginConfigOf(margin: ResolvedMargin): MarginConfig {
  const { kind, scale } = margin;
  if (kind === 'softmax') return { kind };
  if (kind === 'normface') return { kind, scale };
  if (kind === 'cosface') return { kind, scale, margin: margin.m3 };
  if (kind === 'arcface') {
    return { kind, scale, margin: margin.m2, easyMargin: margin.easyMargin };
  }
  return { kind, scale, m1: margin.m1, m2: margin.m2, m3: margin.m3 };
}

/** The SubFaceConfig that resolves to `subface` (the manifest's form). */
export function subFaceConfigOf(subface: ResolvedSubFace): SubFaceConfig {
  if (subface.schedule !== 'constant') return { ...subface };
  const { totalSteps: _, rampStart: __, ...rest } = subface;
  return rest;
}

/**
 * Rebuilds backbone and head from `target` (a checkpoint folder, or a
 * run's checkpoint folder through its last-good pointer) and loads their
 * weights and BN statistics; optimizer slots are not read. The caller
 * disposes backbone and head.
 */
export async function loadModelFromCheckpoint(
  target: string,
): Promise<LoadedModel> {
  const where = 'loadModelFromCheckpoint';
  const folder = await resolveCheckpointPath(target);
  const checkpoint = await loadCheckpoint<TrainerState>(folder);
  const state = checkpoint.manifest.state;
  const model = state?.model;
  if (model === undefined || model === null) {
    throw new CheckpointError(
      `${where}: manifest state.model must describe the model, but got ` +
        `none in ${folder}`,
    );
  }

  const backbone = createBackbone(
    model.architecture,
    (model.backboneConfig ?? {
      inputSize: model.inputSize,
      embeddingDim: model.embeddingDim,
    }) as Record<string, unknown>,
  );
  let head: MarginSoftmaxHead;
  try {
    const config = {
      numClasses: model.head.numClasses,
      embeddingDim: model.embeddingDim,
      margin: marginConfigOf(model.head.margin as ResolvedMargin),
      partialFc: model.head.partialFc ?? undefined,
      layout: model.head.layout as MarginSoftmaxHead['centers']['layout'],
    };
    head =
      model.head.kind === 'SubFaceHead'
        ? new SubFaceHead({
            ...config,
            subface: subFaceConfigOf(model.head.subface as ResolvedSubFace),
          })
        : new MarginSoftmaxHead(config);
  } catch (error) {
    backbone.dispose();
    throw error;
  }

  try {
    const variables = nameVariables(backbone, head);
    checkArrays(where, checkpoint, variables);
    writeVariables(checkpoint, variables);
  } catch (error) {
    backbone.dispose();
    head.dispose();
    throw error;
  }
  return {
    backbone,
    head,
    classNames: state.labelMap?.identities ?? null,
    path: checkpoint.path,
    step: state.step,
    state,
  };
}
