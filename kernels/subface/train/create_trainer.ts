/**
 * The one-call way to get a trainer: fresh, or continuing a run.
 */
import { Trainer, TrainerParts } from './trainer';

export interface CreateTrainerOptions extends TrainerParts {
  /**
   * A checkpoint folder or a run folder (its last-good checkpoint) to
   * continue from; undefined or null starts fresh.
   */
  resumeFrom?: string | null;
}

export async function createTrainer(
  options: CreateTrainerOptions,
): Promise<Trainer> {
  const { resumeFrom, ...parts } = options;
  if (resumeFrom === undefined || resumeFrom === null) {
    return new Trainer(parts);
  }
  return Trainer.resume(resumeFrom, parts);
}
