/**
 * The tensor runtime: backend choice and seeded randomness.
 */
import { chooseBackend, RuntimeInfo, RuntimeOptions } from './backend';

export {
  BACKEND_CHOICES,
  BackendChoice,
  CUDA_REQUIREMENT,
  describeRuntime,
  resolveBackendChoice,
  RuntimeInfo,
  RuntimeOptions,
  SkippedBackend,
  wasmAssetDir,
} from './backend';
export { RuntimeError } from './errors';
export { RandomState, SeededRandom, RandomError } from './random';
export {
  assertSingleTfjsCore,
  loadedTfjsCoreCopies,
  TfjsCoreCopy,
} from './tfjs_copies';

/**
 * Chooses and starts the fastest backend that works here (or the one
 * forced by `options.backend` or SUBFACE_BACKEND) and prepares it for
 * training.
 */
export async function initRuntime(
  options: RuntimeOptions = {},
): Promise<RuntimeInfo> {
  return chooseBackend(options);
}
