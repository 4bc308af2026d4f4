/**
 * Validates a backbone's settings without building it (building an
 * iresnet100 allocates its weights), so a config file fails before any
 * data is read.
 */
import { BackboneError } from '../backbones/cpu_resnet_config';
import {
  DEFAULT_CPU_RESNET_CONFIG,
  resolveCpuResNetConfig,
} from '../backbones/cpu_resnet_config';
import {
  DEFAULT_IRESNET_CONFIG,
  resolveIResNetConfig,
} from '../backbones/iresnet_config';
import {
  DEFAULT_MOBILEFACENET_CONFIG,
  resolveMobileFaceNetConfig,
} from '../backbones/mobilefacenet_config';
import { BackboneName } from '../backbones/registry';

/** Throws a BackboneError naming the first bad or unknown field. */
export function checkBackboneConfig(
  name: BackboneName,
  config: Record<string, unknown>,
): void {
  const defaults =
    name === 'cpu_resnet'
      ? DEFAULT_CPU_RESNET_CONFIG
      : name === 'mobilefacenet'
        ? DEFAULT_MOBILEFACENET_CONFIG
        : DEFAULT_IRESNET_CONFIG;
  const accepted = Object.keys(defaults);
  for (const key of Object.keys(config)) {
    if (!accepted.includes(key)) {
      throw new BackboneError(
        `${name}: config field '${key}' must be one of ` +
          `${accepted.join(', ')}, but got '${key}'`,
      );
    }
  }
  if (name === 'cpu_resnet') resolveCpuResNetConfig(config);
  else if (name === 'mobilefacenet') resolveMobileFaceNetConfig(config);
  else resolveIResNetConfig(config);
}
