/**
 * `subface runtime`: which tfjs backend runs here, and why faster ones
 * were skipped.
 */
import { Command } from 'commander';

import { BACKEND_CHOICES, describeRuntime, initRuntime } from '../../runtime';
import { CliOutput } from '../output';

export function runtimeCommand(output: CliOutput): Command {
  return new Command('runtime')
    .description(
      'Show the tfjs backend that would run here (cuda, tensorflow, wasm ' +
        'or cpu) and why each faster one was skipped. SUBFACE_BACKEND=name ' +
        'forces one.',
    )
    .option(
      '--backend <name>',
      `force a backend: auto, ${BACKEND_CHOICES.join(', ')}`,
      'auto',
    )
    .action(async (flags: { backend: 'auto' }) => {
      const info = await initRuntime({ backend: flags.backend });
      output.result(describeRuntime(info), info);
    });
}
