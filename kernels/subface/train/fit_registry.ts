/**
 * The fits running in this process, so that code outside a cell's own
 * control flow (the notebook kernel's interrupt) can stop every one of
 * them at its next step boundary, and can refuse new fits in a cell the
 * user interrupted. The state sits on globalThis: every copy of the
 * library loaded in one process then shares one registry.
 */

/** What the registry needs of a running fit (a Trainer). */
export interface RunningFit {
  requestStop(): void;
}

/** Tells whether the code now running was interrupted. */
export type InterruptCheck = () => boolean;

interface Registry {
  running: Set<RunningFit>;
  interrupted: InterruptCheck | null;
}

const REGISTRY_KEY = Symbol.for('subface.train.fitRegistry');

function registry(): Registry {
  const slots = globalThis as unknown as Record<symbol, Registry | undefined>;
  slots[REGISTRY_KEY] ??= { running: new Set(), interrupted: null };
  return slots[REGISTRY_KEY];
}

/**
 * Thrown by `Trainer.fit` when it is called from code that was already
 * interrupted (a kernel interrupt during a loop of fits): the loop ends
 * instead of starting the next fit. The trainer, its model, class
 * centres and optimizer keep their state and stay usable.
 */
export class FitInterruptedError extends Error {
  override name = 'FitInterruptedError';

  constructor(step: number) {
    super(
      `Trainer.fit: not started, because the code calling it was ` +
        `interrupted; the trainer keeps its state (step ${step}) and can ` +
        `fit again from another cell`,
    );
  }
}

/**
 * Adds a running fit; returns the function that removes it (call it
 * when the fit ends, however it ends).
 */
export function trackRunningFit(fit: RunningFit): () => void {
  const { running } = registry();
  running.add(fit);
  return () => {
    running.delete(fit);
  };
}

/** How many fits are running now. */
export function runningFitCount(): number {
  return registry().running.size;
}

/**
 * Asks every running fit to stop at its next step boundary (each then
 * resolves with reason 'stopped'). Returns how many were asked.
 */
export function stopRunningFits(): number {
  const { running } = registry();
  for (const fit of running) fit.requestStop();
  return running.size;
}

/**
 * Installs the check `Trainer.fit` runs before starting (null removes
 * it). The kernel's check answers whether the cell calling fit was
 * interrupted.
 */
export function setFitInterruptCheck(check: InterruptCheck | null): void {
  registry().interrupted = check;
}

/** Whether the code calling now was interrupted (false without a check). */
export function fitInterrupted(): boolean {
  return registry().interrupted?.() ?? false;
}
