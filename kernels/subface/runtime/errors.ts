/** Raised when a tfjs backend cannot be chosen, loaded or trusted. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}
