#!/usr/bin/env node
/**
 * The `subface` command line: the library's jobs without a notebook.
 */
import { Command, CommanderError } from 'commander';

import { packCommand } from './commands/pack';
import { packPairsCommand } from './commands/pack_pairs';
import { analyzeCommand } from './commands/analyze';
import { embedCommand } from './commands/embed';
import { evalCommand } from './commands/eval';
import { kernelCommand } from './commands/kernel';
import { runtimeCommand } from './commands/runtime';
import { trainCommand } from './commands/train';
import { CliOutput } from './output';

/** Errors the library raises for bad input: shown without a stack. */
const USER_ERRORS = new Set([
  'DataError',
  'RuntimeError',
  'LossError',
  'ConfigError',
  'TrainError',
  'TrainingDivergedError',
  'CheckpointError',
  'BackboneError',
  'EvalError',
  'KernelError',
]);

export function buildProgram(output = new CliOutput()): Command {
  const program = new Command('subface')
    .description(
      'Train and evaluate face recognition with SubFace and margin ' +
        'softmax losses on TensorFlow.js, and convert face data sets.',
    )
    .option('--json', 'print each result as one line of JSON')
    .showHelpAfterError('(run with --help for usage)')
    .hook('preAction', (command) => {
      output.json = Boolean(command.opts().json);
    });
  program.addCommand(trainCommand(output));
  program.addCommand(evalCommand(output));
  program.addCommand(embedCommand(output));
  program.addCommand(analyzeCommand(output));
  program.addCommand(packCommand(output));
  program.addCommand(packPairsCommand(output));
  program.addCommand(runtimeCommand(output));
  program.addCommand(kernelCommand(output));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const e = error as Error;
    if (USER_ERRORS.has(e?.name)) {
      process.stderr.write(`subface: ${e.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
