/**
 * `subface analyze <checkpoint|run>`: SubFace's aggregation table, the
 * same-identity pair view and an embedding projection of held-out
 * people, written as analysis.json and drawn in report.html.
 */
import * as path from 'node:path';

import { Command } from 'commander';

import { initRuntime } from '../../runtime';
import { BackendChoice } from '../../runtime/backend';
import { analyzeModel } from '../analysis';
import { openRunData, openTrainingSource, RunData } from '../build_data';
import { loadModelTarget } from '../model_target';
import { positiveInteger } from '../options';
import { CliOutput } from '../output';
import { ResolvedRunConfig, RunConfig } from '../run_config';
import { resolveRunConfig } from '../run_config_resolve';
import { ANALYSIS_FILE, RunFiles } from '../run_files';
import { dataFromFlag } from '../run_flags';
import { writeRunReport } from '../run_report';

interface AnalyzeFlags {
  data?: string;
  out?: string;
  maxIdentities: number;
  maxPoints: number;
  umap: boolean;
  blocks: number;
  backend: string;
}

const EXAMPLES = `
Examples:
  $ subface analyze runs/quick        # updates runs/quick/report.html
  $ subface analyze runs/quick/checkpoints/step-00000360 --data ./faces \\
      --out analysis-faces --no-umap
`;

/** `--data` alone, as RunData without a verification set. */
async function openLabelledOnly(
  config: ResolvedRunConfig,
): Promise<Omit<RunData, 'evalSet'>> {
  const source = await openTrainingSource(config.data);
  return {
    train: source,
    heldOut: null,
    evalExclusion: null,
    close: async () => source.close?.(),
  };
}

export function analyzeCommand(output: CliOutput): Command {
  return new Command('analyze')
    .description(
      'Embed labelled faces with a trained model and compute the SubFace ' +
        'aggregation heatmap (classes x subspace blocks), the pair view ' +
        'and a PCA/UMAP projection; writes analysis.json and report.html.',
    )
    .argument('<checkpoint>', 'checkpoint folder or run folder')
    .option(
      '--data <source>',
      "labelled faces: 'synthetic', a folder or a .rec pack (default: " +
        "the run's held-out people)",
    )
    .option('--out <folder>', 'output folder (default: the run folder)')
    .option('--max-identities <n>', 'people embedded', positiveInteger, 20)
    .option('--max-points <n>', 'images embedded', positiveInteger, 1000)
    .option('--no-umap', 'PCA only')
    .option('--blocks <n>', 'subspace blocks', positiveInteger, 4)
    .option('--backend <name>', 'tfjs backend', 'auto')
    .addHelpText('after', EXAMPLES)
    .action(async (target: string, flags: AnalyzeFlags) => {
      await initRuntime({ backend: flags.backend as BackendChoice });
      const loaded = await loadModelTarget(target);
      const { backbone } = loaded.model;
      const outDir =
        flags.out ??
        loaded.run?.dir ??
        path.join(path.dirname(loaded.model.path), 'analysis');
      const files = new RunFiles(outDir);
      const input: RunConfig = (loaded.config as RunConfig | null) ?? {};
      const config = resolveRunConfig({
        ...input,
        data: flags.data === undefined ? input.data : dataFromFlag(flags.data),
        eval: flags.data === undefined ? input.eval : undefined,
        model: {
          inputSize: backbone.inputSize,
          embeddingDim: backbone.embeddingDim,
        },
        train: undefined,
      });
      // The run's held-out people, or every person of --data.
      const data =
        flags.data === undefined
          ? await openRunData(config)
          : await openLabelledOnly(config);
      try {
        const source = data.heldOut ?? data.train;
        const analysis = await analyzeModel(source, loaded.embed, {
          maxIdentities: flags.maxIdentities,
          maxPoints: flags.maxPoints,
          umap: flags.umap,
          numBlocks: flags.blocks,
          inputSize: backbone.inputSize,
          centerCrop: config.eval.centerCrop,
          seed: config.seed,
        });
        const file = await files.writeJson(ANALYSIS_FILE, analysis);
        const report = await writeRunReport(files, {
          steps: loaded.model.step,
          seconds: null,
        });
        const means = analysis.aggregation.columnMeans
          .map((m, i) => `${analysis.aggregation.columns[i]} ${m?.toFixed(4)}`)
          .join('  ');
        output.result(
          `analyzed ${analysis.numImages} images of ` +
            `${analysis.numIdentities} people from ${analysis.source}\n` +
            `aggregation column means: ${means}\n${file}\n${report.path}`,
          { analysis: file, report: report.path, ...analysis.aggregation.cap },
        );
      } finally {
        await data.close();
        loaded.dispose();
      }
    });
}
