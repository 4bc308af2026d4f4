/** Backbones: networks from face images to raw embeddings. */
export { ApplyOptions, Backbone } from './backbone';
export { BatchNormWeights } from './batch_norm';
export { batchNormTraining, preluTraining } from './channel_ops';
export { CpuResNet } from './cpu_resnet';
export {
  BackboneError,
  CpuResNetConfig,
  DEFAULT_CPU_RESNET_CONFIG,
  ResolvedCpuResNetConfig,
  resolveCpuResNetConfig,
} from './cpu_resnet_config';
export { IResNet } from './iresnet';
export {
  DEFAULT_IRESNET_CONFIG,
  IRESNET_LAYERS,
  IRESNET_NAMES,
  IResNetConfig,
  IResNetName,
  ResolvedIResNetConfig,
  resolveIResNetConfig,
} from './iresnet_config';
export { MobileFaceNet } from './mobilefacenet';
export {
  BottleneckStage,
  DEFAULT_MOBILEFACENET_CONFIG,
  MOBILEFACENET_STAGES,
  MobileFaceNetConfig,
  ResolvedMobileFaceNetConfig,
  resolveMobileFaceNetConfig,
} from './mobilefacenet_config';
export {
  BACKBONE_NAMES,
  BackboneConfig,
  BackboneName,
  createBackbone,
  isBackboneName,
} from './registry';
export { NamedWeight, WeightLayout } from './weight_store';
