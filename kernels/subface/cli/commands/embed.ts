/**
 * `subface embed <checkpoint> <images> <out>`: flip-fused embeddings of
 * every image of a folder or pack, with labels, as JSON lines or as raw
 * float32 plus a JSON description.
 */

import { Command } from 'commander';

import { embedImages } from '../../eval/embed';
import { initRuntime } from '../../runtime';
import { BackendChoice } from '../../runtime/backend';
import { writeFileAtomically } from '../../train/atomic_files';
import { openTrainingSource } from '../build_data';
import { loadModelTarget } from '../model_target';
import { fraction, positiveInteger } from '../options';
import { CliOutput } from '../output';
import { ConfigError } from '../run_config_resolve';
import { dataFromFlag } from '../run_flags';

interface EmbedFlags {
  flip: boolean;
  batchSize: number;
  centerCrop: number;
  backend: string;
}

const EXAMPLES = `
Examples:
  $ subface embed runs/quick ./faces faces.jsonl
  $ subface embed runs/quick train.rec faces.f32   # + faces.f32.json

Output: .jsonl has one {"index","label","identity","embedding"} per image;
.f32 is float32 little-endian [numImages, embeddingDim] row-major, and
<out>.json holds numImages, embeddingDim, labels and classNames.
`;

export function embedCommand(output: CliOutput): Command {
  return new Command('embed')
    .description(
      'Embed every image of a folder (one sub-folder per identity) or an ' +
        'InsightFace pack with a trained model (flip-fused, unit length).',
    )
    .argument('<checkpoint>', 'checkpoint folder or run folder')
    .argument('<images>', 'image folder or <prefix>.rec')
    .argument('<out>', 'output: <file>.jsonl or <file>.f32')
    .option('--no-flip', 'embed the images only, not their mirror images')
    .option('--batch-size <n>', 'images per forward pass', positiveInteger, 64)
    .option('--center-crop <fraction>', 'crop before resizing', fraction, 1)
    .option('--backend <name>', 'tfjs backend', 'auto')
    .addHelpText('after', EXAMPLES)
    .action(
      async (
        target: string,
        images: string,
        out: string,
        flags: EmbedFlags,
      ) => {
        if (!out.endsWith('.jsonl') && !out.endsWith('.f32')) {
          throw new ConfigError(
            `embed: <out> must end in .jsonl or .f32, but got ${out}`,
          );
        }
        await initRuntime({ backend: flags.backend as BackendChoice });
        const loaded = await loadModelTarget(target);
        const data = dataFromFlag(images);
        const source = await openTrainingSource(
          data?.kind === 'rec'
            ? { kind: 'rec', prefix: data.prefix, centerCrop: 1 }
            : {
                kind: 'folder',
                path: images,
                minImagesPerIdentity: 1,
                manifest: null,
                excludeEvalIdentities: false,
                centerCrop: 1,
              },
        );
        try {
          const size = loaded.model.backbone.inputSize;
          const result = await embedImages(
            source.numImages,
            (i, resize) => source.read(i, resize),
            loaded.embed,
            {
              resize: { size, centerCrop: flags.centerCrop },
              batchSize: flags.batchSize,
              flip: flags.flip,
            },
          );
          const { embeddings, embeddingDim, numImages } = result;
          const names = source.classNames;
          const labels = Array.from(source.labels);
          if (out.endsWith('.jsonl')) {
            const lines = labels.map((label, i) =>
              JSON.stringify({
                index: i,
                label,
                identity: names?.[label] ?? null,
                embedding: Array.from(
                  embeddings.subarray(i * embeddingDim, (i + 1) * embeddingDim),
                ),
              }),
            );
            await writeFileAtomically(out, lines.join('\n') + '\n');
          } else {
            const bytes = Buffer.alloc(embeddings.length * 4);
            embeddings.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
            await writeFileAtomically(out, bytes);
            const meta = {
              numImages,
              embeddingDim,
              dtype: 'float32',
              byteOrder: 'little-endian',
              flip: result.flip,
              checkpoint: loaded.model.path,
              source: source.description,
              labels,
              classNames: names,
            };
            await writeFileAtomically(
              `${out}.json`,
              JSON.stringify(meta) + '\n',
            );
          }
          output.result(
            `embedded ${numImages} images (${embeddingDim}-d, ` +
              `${result.flip ? 'flip-fused' : 'no flip'}) into ${out}`,
            { out, numImages, embeddingDim, checkpoint: loaded.model.path },
          );
        } finally {
          await source.close?.();
          loaded.dispose();
        }
      },
    );
}
