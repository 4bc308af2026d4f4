/**
 * The kernel's error for bad input or a broken installation: the CLI
 * and the launcher show its message without a stack.
 */
export class KernelError extends Error {
  override name = 'KernelError';
}
