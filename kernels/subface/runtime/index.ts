/**
 * The tensor runtime: backend choice and seeded randomness.
 */
import { chooseBackend, RuntimeInfo, RuntimeOptions } from './backend';
import { installFastGradients } from './fast_gradients';

export {
  BACKEND_CHOICES,
  BackendChoice,
  describeRuntime,
  resolveBackendChoice,
  RuntimeInfo,
  RuntimeOptions,
  SkippedBackend,
  wasmAssetDir,
} from './backend';
export { CUDA_REQUIREMENT } from './native_packages';
export { RuntimeError } from './errors';
export { RandomState, SeededRandom, RandomError } from './random';
export {
  FAST_GRADIENT_KERNELS,
  fastGradientsInstalled,
  installFastGradients,
  uninstallFastGradients,
} from './fast_gradients';
export {
  assertSingleTfjsCore,
  loadedTfjsCoreCopies,
  TfjsCoreCopy,
} from './tfjs_copies';

/**
 * Chooses and starts the fastest backend that works here (or the one
 * forced by `options.backend` or SUBFACE_BACKEND) and prepares it for
 * training: on wasm, tfjs's convolution, matMul and gather gradients are
 * missing or slow, so the fast formulations are installed. They apply only
 * while wasm is the active backend; others keep tfjs's own.
 */
export async function initRuntime(
  options: RuntimeOptions = {},
): Promise<RuntimeInfo> {
  const info = await chooseBackend(options);
  if (info.choice === 'wasm') {
    installFastGradients();
    info.fastGradients = true;
  }
  return info;
}
