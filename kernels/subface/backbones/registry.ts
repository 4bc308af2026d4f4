/**
 * Backbones by name: what the trainer, the CLI and checkpoints use to
 * build a network from a string.
 */
import { Backbone } from './backbone';
import { CpuResNet } from './cpu_resnet';
import {
  BackboneError,
  CpuResNetConfig,
  DEFAULT_CPU_RESNET_CONFIG,
} from './cpu_resnet_config';
import { IResNet } from './iresnet';
import {
  DEFAULT_IRESNET_CONFIG,
  IResNetConfig,
  IResNetName,
} from './iresnet_config';
import { MobileFaceNet } from './mobilefacenet';
import {
  DEFAULT_MOBILEFACENET_CONFIG,
  MobileFaceNetConfig,
} from './mobilefacenet_config';

export const BACKBONE_NAMES = [
  'cpu_resnet',
  'iresnet18',
  'iresnet34',
  'iresnet50',
  'iresnet100',
  'mobilefacenet',
] as const;

export type BackboneName = (typeof BACKBONE_NAMES)[number];

/**
 * Settings of any backbone. Every net takes inputSize, embeddingDim,
 * batchNormMomentum, batchNormEpsilon and seed; the other fields belong
 * to one family (stemChannels, stageChannels: cpu_resnet; baseWidth,
 * dropout: iresnet*; stages: mobilefacenet) and are rejected elsewhere.
 */
export type BackboneConfig = CpuResNetConfig &
  IResNetConfig &
  MobileFaceNetConfig;

export function isBackboneName(name: string): name is BackboneName {
  return (BACKBONE_NAMES as readonly string[]).includes(name);
}

/** Field names each family accepts: those of its defaults. */
function acceptedKeys(name: BackboneName): string[] {
  if (name === 'cpu_resnet') return Object.keys(DEFAULT_CPU_RESNET_CONFIG);
  if (name === 'mobilefacenet') {
    return Object.keys(DEFAULT_MOBILEFACENET_CONFIG);
  }
  return Object.keys(DEFAULT_IRESNET_CONFIG);
}

/**
 * Builds the backbone `name` with `config` (defaults filled in and
 * validated by the backbone). Fields undefined in `config` count as
 * absent.
 *
 * @throws BackboneError for an unknown name or a field the family does
 *   not take, listing the valid ones.
 */
export function createBackbone(
  name: string,
  config: BackboneConfig = {},
): Backbone {
  if (!isBackboneName(name)) {
    throw new BackboneError(
      `createBackbone: name must be one of ${BACKBONE_NAMES.join(', ')}, ` +
        `but got '${name}'`,
    );
  }
  const accepted = acceptedKeys(name);
  const given = Object.entries(config)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  const unknown = given.filter((key) => !accepted.includes(key));
  if (unknown.length > 0) {
    throw new BackboneError(
      `createBackbone: config fields of ${name} must be among ` +
        `${accepted.join(', ')}, but got '${unknown.join("', '")}'`,
    );
  }

  if (name === 'cpu_resnet') return new CpuResNet(config);
  if (name === 'mobilefacenet') return new MobileFaceNet(config);
  return new IResNet(name as IResNetName, config);
}
