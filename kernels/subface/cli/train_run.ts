/**
 * One `subface train` run end to end: runtime, data, model, trainer with
 * progress and metrics, SIGINT handling, evaluation, analysis and the
 * report. Prints only through `write` (the command's stdout).
 */
import { describeRuntime, initRuntime } from '../runtime';
import { BackendChoice } from '../runtime/backend';
import { evaluateVerificationSet, SetEvaluation } from '../eval/evaluate_set';
import { EmbedFunction } from '../eval/embed';
import { combineCallbacks } from '../train/callbacks';
import { createTrainer } from '../train/create_trainer';
import { TrainCallbacks } from '../train/logs';
import { installSigintHandler } from '../train/stop';
import { analyzeModel } from './analysis';
import { openRunData, RunData } from './build_data';
import { buildRunModel } from './build_model';
import { createProgressSink } from './progress';
import { ResolvedRunConfig } from './run_config';
import { ANALYSIS_FILE, CONFIG_FILE, EVAL_FILE } from './run_files';
import { RunFlags } from './run_flags';
import { writeRunReport } from './run_report';
import { setUpRun } from './run_setup';
import { versions } from './versions';

/** The last line of `subface train --json` (and of `npm start`). */
export interface TrainRunResult {
  /** The run folder. */
  run: string;
  backend: string;
  /** Steps trained in total (with those before a resume). */
  steps: number;
  /** Wall time of the whole command, in seconds. */
  seconds: number;
  accuracy: number;
  accuracyStd: number;
  pairs: number;
  /** report.html. */
  report: string;
}

export interface TrainIo {
  write(line: string): void;
  /** Draw a progress bar (a terminal without --json). */
  bar: boolean;
  argv: string[];
}

/** Evaluates with the run's resize settings; logs one metrics record. */
async function evaluate(
  data: RunData,
  embed: EmbedFunction,
  config: ResolvedRunConfig,
): Promise<SetEvaluation> {
  const resize = {
    size: config.model.inputSize,
    centerCrop: config.eval.centerCrop,
  };
  return evaluateVerificationSet(data.evalSet, embed, { resize });
}

export async function runTraining(
  flags: RunFlags,
  io: TrainIo,
): Promise<TrainRunResult & { sha256: string; checkpoint: string | null }> {
  const started = Date.now();
  const { input, config, files, resumeFrom } = await setUpRun(flags);
  const runtime = await initRuntime({
    backend: config.backend as BackendChoice | 'auto',
  });
  const banner = describeRuntime(runtime);
  io.write(banner);

  const data = await openRunData(config);
  const model = buildRunModel(config, data.train.numClasses);
  const exclusion = data.evalExclusion;
  await files.writeJson(CONFIG_FILE, {
    input,
    config,
    // What the data looked like once opened.
    data: {
      numIdentities: data.train.numClasses,
      numImages: data.train.numImages,
      excludedEvalIdentities: exclusion?.numExcludedIdentities ?? 0,
      evalNames: exclusion?.numEvalNames ?? null,
    },
    runtime: { banner, backend: runtime.backend, choice: runtime.choice },
    versions: versions(),
    createdAt: new Date().toISOString(),
    argv: io.argv,
  });
  io.write(`run ${files.dir}`);
  io.write(`train ${data.train.description}`);
  if (exclusion !== null) {
    io.write(
      `train excludes ${exclusion.numExcludedIdentities} identities ` +
        `named in the eval pairs (${exclusion.numEvalNames} names)`,
    );
  }
  io.write(`eval ${data.evalSet.name}`);

  const trainer = await createTrainer({
    backbone: model.backbone,
    head: model.head,
    source: data.train,
    config: {
      ...config.train,
      checkpointDir: files.checkpointDir,
      evaluateEvery: config.eval.every,
    },
    resumeFrom,
  });
  const progress = createProgressSink(io.write, {
    bar: io.bar,
    startStep: trainer.step,
    totalSteps: trainer.totalSteps,
  });
  let last: { step: number; evaluation: SetEvaluation } | null = null;
  const record = async (step: number, evaluation: SetEvaluation) => {
    last = { step, evaluation };
    const { accuracy, accuracyStd, numPairs } = evaluation.result;
    files.appendMetric({
      type: 'eval',
      step,
      set: evaluation.name,
      accuracy,
      accuracyStd,
      numPairs,
      sha256: evaluation.sha256,
      xNorm: evaluation.xNorm,
      time: new Date().toISOString(),
    });
    progress.log(
      `step ${step}  eval  acc ${accuracy.toFixed(5)} +- ` +
        `${accuracyStd.toFixed(5)}  pairs ${numPairs}  sha256 ` +
        evaluation.sha256,
    );
  };
  const metrics: TrainCallbacks = {
    onStep: (log) => files.appendMetric({ type: 'step', ...log }),
    onCheckpoint: (log) => files.appendMetric({ type: 'checkpoint', ...log }),
    onEvaluate: async ({ step, embed }) =>
      record(step, await evaluate(data, embed, config)),
    onEnd: ({ losses: _, ...result }) =>
      files.appendMetric({ type: 'end', ...result }),
  };

  const uninstall = installSigintHandler(trainer);
  let fit;
  try {
    fit = await trainer.fit({
      callbacks: combineCallbacks(metrics, progress.callbacks),
    });
  } finally {
    uninstall();
    progress.stop();
  }
  // A resumed run that was already done trains no step: evaluate now.
  if (last === null) {
    await record(trainer.step, await evaluate(data, trainer.embed, config));
  }
  const final = last as unknown as { step: number; evaluation: SetEvaluation };
  await files.writeJson(EVAL_FILE, {
    step: final.step,
    checkpoint: fit.checkpoint,
    evaluation: final.evaluation,
  });

  const analysis = await analyzeModel(
    data.heldOut ?? data.train,
    trainer.embed,
    {
      ...config.report,
      inputSize: config.model.inputSize,
      centerCrop: config.eval.centerCrop,
      seed: config.seed,
    },
  );
  await files.writeJson(ANALYSIS_FILE, analysis);
  trainer.dispose();
  model.dispose();
  await data.close();

  const seconds = (Date.now() - started) / 1000;
  const report = await writeRunReport(files, { steps: fit.step, seconds });
  const { result } = final.evaluation;
  io.write(`report ${report.path} (${(report.bytes / 1e6).toFixed(1)} MB)`);
  return {
    run: files.dir,
    backend: runtime.backend,
    steps: fit.step,
    seconds: Math.round(seconds * 10) / 10,
    accuracy: result.accuracy,
    accuracyStd: result.accuracyStd,
    pairs: result.numPairs,
    report: report.path,
    sha256: final.evaluation.sha256,
    checkpoint: fit.checkpoint,
  };
}
