/**
 * Ctrl-C for a training run: the first SIGINT asks the trainer to stop
 * at the next step boundary (it then writes a checkpoint and `fit`
 * resolves); a second SIGINT gets Node's default behaviour back, so a
 * stuck run can still be killed.
 */

/** Anything that can be asked to stop (a Trainer). */
export interface Stoppable {
  requestStop(): void;
}

/**
 * Installs the handler; returns a function that removes it (call it
 * when the run is over, so later Ctrl-C behaves normally).
 */
export function installSigintHandler(
  trainer: Stoppable,
  target: NodeJS.Process = process,
): () => void {
  let installed = true;
  const uninstall = () => {
    if (!installed) return;
    installed = false;
    target.removeListener('SIGINT', onSigint);
  };
  const onSigint = () => {
    trainer.requestStop();
    // Without a listener, the next SIGINT terminates the process.
    uninstall();
  };
  target.on('SIGINT', onSigint);
  return uninstall;
}
