/**
 * The network and head of a run from its config.
 */
import { Backbone } from '../backbones/backbone';
import { BackboneConfig, createBackbone } from '../backbones/registry';
import { MarginSoftmaxHead } from '../losses/margin_head';
import { SubFaceHead } from '../losses/subface_head';
import { ResolvedRunConfig } from './run_config';

export interface RunModel {
  backbone: Backbone;
  head: MarginSoftmaxHead;
  dispose(): void;
}

/** Backbone and head for `numClasses` identities; the caller disposes. */
export function buildRunModel(
  config: ResolvedRunConfig,
  numClasses: number,
): RunModel {
  const { model, head: headConfig, seed } = config;
  const backbone = createBackbone(model.backbone, {
    ...(model.config as BackboneConfig),
    inputSize: model.inputSize,
    embeddingDim: model.embeddingDim,
  });
  const common = {
    numClasses,
    embeddingDim: model.embeddingDim,
    margin: headConfig.margin,
    partialFc: headConfig.partialFc ?? undefined,
    seed,
  };
  let head: MarginSoftmaxHead;
  try {
    head =
      headConfig.subface === null
        ? new MarginSoftmaxHead(common)
        : new SubFaceHead({ ...common, subface: headConfig.subface });
  } catch (error) {
    backbone.dispose();
    throw error;
  }
  return {
    backbone,
    head,
    dispose: () => {
      backbone.dispose();
      head.dispose();
    },
  };
}
