/**
 * Callbacks every fit gets unless it opts out: an environment such as
 * the notebook kernel installs a factory (live progress drawn in the
 * cell), and `Trainer.fit` combines what it makes with the caller's own
 * callbacks. The factory sits on globalThis, so it reaches fits of every
 * copy of the library loaded in the process.
 */
import type { TrainCallbacks } from './logs';

/** The default callbacks of one fit; `close` runs when the fit ends. */
export type DefaultFitCallbacks = TrainCallbacks & {
  close?(): void | Promise<void>;
};

/** What a factory learns about the fit it makes callbacks for. */
export interface DefaultFitContext {
  /** Steps done before this fit. */
  step: number;
  /** Steps of the whole run (the schedule's length). */
  totalSteps: number;
  /** The fit's own bound, when given. */
  steps?: number;
  epochs?: number;
}

export type DefaultFitCallbacksFactory = (
  context: DefaultFitContext,
) => DefaultFitCallbacks;

interface Slot {
  factory: DefaultFitCallbacksFactory | null;
}

const SLOT_KEY = Symbol.for('subface.train.defaultFitCallbacks');

function slot(): Slot {
  const slots = globalThis as unknown as Record<symbol, Slot | undefined>;
  slots[SLOT_KEY] ??= { factory: null };
  return slots[SLOT_KEY];
}

/**
 * Installs the factory of default fit callbacks (null removes it).
 * Returns the one it replaces.
 */
export function setDefaultFitCallbacks(
  factory: DefaultFitCallbacksFactory | null,
): DefaultFitCallbacksFactory | null {
  const previous = slot().factory;
  slot().factory = factory;
  return previous;
}

/** Makes the default callbacks of one fit; null when none are set. */
export function createDefaultFitCallbacks(
  context: DefaultFitContext,
): DefaultFitCallbacks | null {
  const factory = slot().factory;
  return factory === null ? null : factory(context);
}

/**
 * Closes the default callbacks of a failed fit; returns the error to
 * throw: the fit's own, or both when closing failed as well.
 */
export async function closeAfterFailure(
  defaults: DefaultFitCallbacks | null,
  error: unknown,
): Promise<unknown> {
  try {
    await defaults?.close?.();
    return error;
  } catch (closeError) {
    return new AggregateError(
      [error, closeError],
      'Trainer.fit: the fit failed, and closing its default callbacks ' +
        'failed too',
    );
  }
}
