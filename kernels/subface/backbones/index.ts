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
