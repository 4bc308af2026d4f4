/**
 * The native TensorFlow.js packages and what they need, in a module that
 * loads no tfjs (the VS Code extension reads it before any kernel runs).
 */
export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

/** The tfjs release of the library; a native package must be the same. */
export const TFJS_VERSION = '4.22.0';

/** What tfjs-node-gpu 4.22 was built against (libtensorflow 2.9.1). */
export const CUDA_REQUIREMENT = 'CUDA 11.2 and cuDNN 8.1';
