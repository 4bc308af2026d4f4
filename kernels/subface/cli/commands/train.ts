/**
 * `subface train`: train a face-recognition model, evaluate it and write
 * a run folder with a report.
 */
import { Command } from 'commander';

import { CliOutput } from '../output';
import { addRunFlags, RunFlags } from '../run_flags';
import { runTraining } from '../train_run';

const EXAMPLES = `
Examples:
  # The main job: ArcFace + SubFace (r 0.8) on synthetic faces, ~3 min
  $ subface train

  # Fewer steps, a name, JSON result on the last line
  $ subface train --steps 50 --name quick --json

  # CosFace without SubFace on an image folder, 20% of people held out
  $ subface train --data ./faces --loss cosface --no-subface --eval split

  # Evaluate on LFW pairs while training on a RecordIO pack
  $ subface train --data train.rec --eval pairs.txt --eval-images ./lfw

  # Everything from a file, one field changed
  $ subface train --config run.json --lr 0.05

  # Continue a run (after Ctrl-C, or with more --steps)
  $ subface train --resume runs/quick --steps 100

A run writes runs/<name>/: config.json, metrics.jsonl, checkpoints/,
eval.json, analysis.json and report.html (open it in any browser; it
works offline). Ctrl-C stops at the next step with a checkpoint.

Config file (every field optional; defaults shown in the README):
  { "data": { "kind": "synthetic", "numIdentities": 100 },
    "eval": { "set": { "kind": "synthetic", "numPairs": 600 } },
    "model": { "backbone": "cpu_resnet", "inputSize": 64 },
    "head": { "margin": { "kind": "arcface", "margin": 0.5 },
              "subface": { "ratio": 0.8, "sampler": "exact" } },
    "train": { "steps": 360, "batchSize": 64, "lr": 0.1 },
    "seed": 0, "name": "my-run" }
`;

export function trainCommand(output: CliOutput): Command {
  const command = new Command('train').description(
    'Train a face-recognition model (default: ArcFace + SubFace on ' +
      'synthetic faces), evaluate it on a verification set and write ' +
      'runs/<name>/ with checkpoints, metrics and report.html.',
  );
  return addRunFlags(command)
    .addHelpText('after', EXAMPLES)
    .action(async (flags: RunFlags) => {
      const result = await runTraining(flags, {
        write: (line) => process.stdout.write(line + '\n'),
        bar: Boolean(process.stderr.isTTY) && !output.json,
        argv: process.argv.slice(2),
      });
      const { sha256, checkpoint, ...line } = result;
      output.result(
        `trained ${result.steps} steps in ${result.seconds} s on ` +
          `${result.backend}: accuracy ${result.accuracy.toFixed(5)} +- ` +
          `${result.accuracyStd.toFixed(5)} on ${result.pairs} pairs ` +
          `(sha256 ${sha256})\ncheckpoint ${checkpoint}\nreport ` +
          result.report,
        line,
      );
    });
}
