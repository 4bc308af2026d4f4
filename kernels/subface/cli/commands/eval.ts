/**
 * `subface eval <checkpoint|run>`: the 10-fold verification of a trained
 * model on a set: the run's own set by default, else held-out synthetic
 * people, a pairs list or a .bin pack.
 */
import { Command } from 'commander';

import {
  evaluateVerificationSet,
  formatSetEvaluation,
} from '../../eval/evaluate_set';
import { initRuntime } from '../../runtime';
import { BackendChoice } from '../../runtime/backend';
import { writeFileAtomically } from '../../train/atomic_files';
import { openRunData } from '../build_data';
import { loadModelTarget } from '../model_target';
import { fraction, positiveInteger } from '../options';
import { CliOutput } from '../output';
import { RunConfig } from '../run_config';
import { mergeRunConfig } from '../run_config_load';
import { resolveRunConfig } from '../run_config_resolve';
import { evalSetFromFlags, foldList } from '../run_flags';
import { toJson } from '../run_files';

interface EvalFlags {
  set?: string;
  images?: string;
  folds?: number[];
  pairs?: number;
  centerCrop?: number;
  out?: string;
  backend: string;
}

const EXAMPLES = `
Examples:
  $ subface eval runs/quick                       # the run's own set
  $ subface eval runs/quick/checkpoints/step-00000360 --set synthetic
  $ subface eval runs/quick --set pairs.txt --images ./lfw --center-crop 0.5
  $ subface eval runs/quick --set pairs.txt --images ./lfw --folds 1
  $ subface eval runs/quick --set lfw.bin --json
`;

export function evalCommand(output: CliOutput): Command {
  return new Command('eval')
    .description(
      'Evaluate a checkpoint (or a run folder, its last checkpoint) on a ' +
        'verification set with InsightFace 10-fold protocol: accuracy, ' +
        'per-fold thresholds, TAR@FAR and the set sha256.',
    )
    .argument('<checkpoint>', 'checkpoint folder or run folder')
    .option(
      '--set <set>',
      "'synthetic', 'split', a .bin pack or a pairs list (with --images); " +
        "default: the run's set, else synthetic",
    )
    .option('--images <folder>', 'image folder of a pairs list')
    .option(
      '--folds <list>',
      "folds of a pairs list to evaluate on, e.g. '1' or '1,2' " +
        '(default: all)',
      foldList,
    )
    .option('--pairs <n>', 'pairs of a synthetic or split set', positiveInteger)
    .option('--center-crop <fraction>', 'crop before resizing', fraction)
    .option('--out <file>', 'also write the full result as JSON')
    .option('--backend <name>', 'tfjs backend', 'auto')
    .addHelpText('after', EXAMPLES)
    .action(async (target: string, flags: EvalFlags) => {
      await initRuntime({ backend: flags.backend as BackendChoice });
      const loaded = await loadModelTarget(target);
      const { model } = loaded;
      // The run's config (or the defaults), with the set swapped.
      const over: RunConfig = {
        eval: {
          set: evalSetFromFlags({ ...flags, imagesFlag: '--images' }),
          centerCrop: flags.centerCrop,
        },
        model: {
          inputSize: model.backbone.inputSize,
          embeddingDim: model.backbone.embeddingDim,
        },
      };
      const base = (loaded.config ?? {}) as RunConfig;
      // A set named here replaces the run's set (its folds included).
      const baseEval =
        flags.set === undefined ? base.eval : { ...base.eval, set: undefined };
      const config = resolveRunConfig(
        mergeRunConfig<RunConfig>(
          { ...base, eval: baseEval, model: undefined, train: undefined },
          over,
        ),
      );
      const set = config.eval.set;
      if (flags.pairs !== undefined && 'numPairs' in set) {
        set.numPairs = flags.pairs;
      }
      const data = await openRunData(config);
      try {
        const evaluation = await evaluateVerificationSet(
          data.evalSet,
          loaded.embed,
          {
            resize: {
              size: model.backbone.inputSize,
              centerCrop: config.eval.centerCrop,
            },
          },
        );
        if (flags.out !== undefined) {
          await writeFileAtomically(flags.out, toJson(evaluation, 2) + '\n');
        }
        const { result } = evaluation;
        output.result(
          `${model.path} (step ${model.step})\n` +
            formatSetEvaluation(evaluation),
          {
            checkpoint: model.path,
            step: model.step,
            set: evaluation.name,
            sha256: evaluation.sha256,
            accuracy: result.accuracy,
            accuracyStd: result.accuracyStd,
            pairs: result.numPairs,
            thresholds: result.folds.map((f) => f.threshold),
          },
        );
      } finally {
        await data.close();
        loaded.dispose();
      }
    });
}
