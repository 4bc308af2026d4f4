/**
 * The analysis views of a trained model on labelled faces: embeddings
 * of a capped set of people, their PCA (and UMAP) projection, SubFace's
 * aggregation table and the same-identity pair view, as report payloads.
 */
import { LabelledSource } from '../data/types';
import { aggregationTable } from '../eval/aggregation';
import { EmbedFunction, embedImages } from '../eval/embed';
import { pairAggregation } from '../eval/pair_aggregation';
import { sameIdentityPairs } from '../eval/positive_pairs';
import { Projection, projectEmbeddings } from '../eval/projection';
import {
  buildAggregationPayload,
  buildPairViewPayload,
} from '../report/aggregation_payload';
import {
  AggregationPayload,
  PairViewPayload,
  ProjectionPayload,
} from '../report/payloads';
import { buildProjectionPayload } from '../report/projection_payload';

export interface AnalysisOptions {
  /** People embedded (the first ones by label). */
  maxIdentities: number;
  /** Images embedded in all; also the projection's cap. */
  maxPoints: number;
  /** Add UMAP to PCA. */
  umap: boolean;
  /** Subspace blocks of the heatmap. */
  numBlocks: number;
  /** The model's input side. */
  inputSize: number;
  /** Centre crop before resizing. */
  centerCrop: number;
  seed: number;
}

export interface Analysis {
  /** Which images were embedded, and from which source. */
  source: string;
  numImages: number;
  numIdentities: number;
  projection: ProjectionPayload;
  aggregation: AggregationPayload;
  pairs: PairViewPayload;
}

/**
 * Images of the first `maxIdentities` people (by label), at most
 * `maxPoints` in all, taken round-robin so every person keeps some.
 */
export function pickImages(
  labels: Int32Array,
  maxIdentities: number,
  maxPoints: number,
): Int32Array {
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, index) => {
    if (label >= maxIdentities) return;
    const list = byLabel.get(label) ?? [];
    list.push(index);
    byLabel.set(label, list);
  });
  const lists = [...byLabel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, list]) => list);
  const picked: number[] = [];
  for (let round = 0; picked.length < maxPoints; round++) {
    const before = picked.length;
    for (const list of lists) {
      if (round < list.length && picked.length < maxPoints) {
        picked.push(list[round]);
      }
    }
    if (picked.length === before) break;
  }
  return Int32Array.from(picked.sort((a, b) => a - b));
}

/** Embeds a capped sample of `source` and computes every view. */
export async function analyzeModel(
  source: LabelledSource,
  embed: EmbedFunction,
  options: AnalysisOptions,
): Promise<Analysis> {
  const indices = pickImages(
    source.labels,
    options.maxIdentities,
    options.maxPoints,
  );
  const labels = Int32Array.from(indices, (i) => source.labels[i]);
  const resize = { size: options.inputSize, centerCrop: options.centerCrop };
  const { embeddings, embeddingDim } = await embedImages(
    indices.length,
    (i, size) => source.read(indices[i], size),
    embed,
    { resize },
  );

  const { seed } = options;
  const projections: Projection[] = [
    await projectEmbeddings(embeddings, labels, { method: 'pca', seed }),
  ];
  if (options.umap && indices.length >= 4) {
    projections.push(
      await projectEmbeddings(embeddings, labels, { method: 'umap', seed }),
    );
  }
  const numBlocks = Math.min(options.numBlocks, embeddingDim);
  const table = aggregationTable(embeddings, labels, { numBlocks, seed });
  const pairs = sameIdentityPairs(labels, 1000, seed);
  const pairView = pairAggregation(embeddings, pairs, {
    k: Math.max(1, Math.round(embeddingDim / numBlocks)),
    seed,
    embeddingDim,
  });
  const names = source.classNames;
  return {
    source: source.description,
    numImages: indices.length,
    numIdentities: new Set(labels).size,
    projection: buildProjectionPayload(projections, names, { embeddings }),
    aggregation: buildAggregationPayload(table, names),
    pairs: buildPairViewPayload(pairView),
  };
}
