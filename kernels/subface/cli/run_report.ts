/**
 * report.html from what a run folder holds: metrics.jsonl (curves),
 * eval.json (verification), analysis.json (projection, heatmap, pairs)
 * and config.json (summary). Missing files leave their views out.
 */
import * as fs from 'node:fs';

import { SetEvaluation } from '../eval/evaluate_set';
import { writeReport } from '../report/html';
import { ReportPayloads } from '../report/payloads';
import { buildTrainingCurves, MetricRecord } from '../report/training_payload';
import { buildVerificationPayload } from '../report/verification_payload';
import { Analysis } from './analysis';
import { ResolvedRunConfig } from './run_config';
import { ANALYSIS_FILE, CONFIG_FILE, EVAL_FILE, RunFiles } from './run_files';

/** config.json: what produced the run. */
export interface SavedRunConfig {
  config: ResolvedRunConfig;
  runtime: { banner: string; backend: string };
  versions: Record<string, string>;
  createdAt: string;
  argv: string[];
}

/** eval.json. */
export interface SavedEvaluation {
  step: number;
  checkpoint: string | null;
  evaluation: SetEvaluation;
}

function summaryRows(saved: SavedRunConfig): [string, string][] {
  const { config } = saved;
  const margin = config.head.margin;
  const subface = config.head.subface;
  const train = config.train;
  const data =
    config.data.kind === 'synthetic'
      ? `synthetic, ${config.data.numIdentities} people x ` +
        `${config.data.imagesPerIdentity} images, ${config.data.difficulty}`
      : config.data.kind === 'folder'
        ? `folder ${config.data.path}`
        : `pack ${config.data.prefix}.rec`;
  return [
    ['data', data],
    ['evaluation', config.eval.set.kind],
    [
      'model',
      `${config.model.backbone}, ${config.model.inputSize} px, ` +
        `${config.model.embeddingDim}-d`,
    ],
    ['loss', JSON.stringify(margin)],
    ['SubFace', subface === null ? 'off' : JSON.stringify(subface)],
    [
      'training',
      `batch ${train.batchSize}, lr ${train.lr}, ` +
        (train.totalSteps != null
          ? `${train.totalSteps} steps`
          : `${train.numEpochs} epochs`),
    ],
    ['seed', String(config.seed)],
    ['runtime', saved.runtime.banner],
    ['versions', JSON.stringify(saved.versions)],
  ];
}

/** The payloads of a run folder's report. */
export function runPayloads(
  files: RunFiles,
  done: { steps: number; seconds: number | null },
): ReportPayloads {
  const exists = (name: string) => fs.existsSync(files.file(name));
  const payloads: ReportPayloads = { title: `SubFace run ${files.dir}` };
  if (exists(CONFIG_FILE)) {
    const saved = files.readJson<SavedRunConfig>(CONFIG_FILE);
    payloads.title = `SubFace run ${saved.config.name}`;
    payloads.summary = {
      run: files.dir,
      backend: saved.runtime.backend,
      steps: done.steps,
      seconds: done.seconds,
      rows: summaryRows(saved),
    };
  }
  const metrics = files.readMetrics<MetricRecord>();
  if (metrics.length > 0) payloads.training = buildTrainingCurves(metrics);
  if (exists(EVAL_FILE)) {
    const saved = files.readJson<SavedEvaluation>(EVAL_FILE);
    payloads.verification = buildVerificationPayload(saved.evaluation);
  }
  if (exists(ANALYSIS_FILE)) {
    const analysis = files.readJson<Analysis>(ANALYSIS_FILE);
    payloads.projection = analysis.projection;
    payloads.aggregation = analysis.aggregation;
    payloads.pairs = analysis.pairs;
  }
  return payloads;
}

/** Writes report.html of the run folder; returns its path and size. */
export function writeRunReport(
  files: RunFiles,
  done: { steps: number; seconds: number | null },
): Promise<{ path: string; bytes: number }> {
  return writeReport(files.dir, runPayloads(files, done));
}
