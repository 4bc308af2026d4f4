/**
 * The bridge between a model in memory and a checkpoint: stable names for
 * every variable, the model's description, reading all values out and
 * writing them back with clear errors when the shapes do not fit.
 */
import * as tf from '@tensorflow/tfjs';

import { Backbone } from '../backbones/backbone';
import { MarginSoftmaxHead } from '../losses/margin_head';
import { SubFaceHead } from '../losses/subface_head';
import { Checkpoint, NamedArray, WeightGroup } from './checkpoint';
import { CheckpointError } from './errors';
import { OptimizerKind, OptimizerSlots } from './optimizer';

/** A variable under the name it has in checkpoints. */
export interface NamedVariable {
  name: string;
  group: Exclude<WeightGroup, 'slot'>;
  variable: tf.Variable;
}

/** What a checkpoint records about the model, to check a resume. */
export interface ModelDescription {
  architecture: string;
  inputSize: number;
  embeddingDim: number;
  /** The backbone's own config when it exposes one (for the record). */
  backboneConfig: unknown;
  head: {
    kind: string;
    numClasses: number;
    layout: string;
    margin: unknown;
    subface: unknown;
    partialFc: unknown;
  };
}

/** Drops the per-instance prefix: 'cpuResNet3/stem/filter' -> 'stem/filter'. */
function stableName(variable: tf.Variable): string {
  const slash = variable.name.indexOf('/');
  return slash < 0 ? variable.name : variable.name.slice(slash + 1);
}

/**
 * Every variable of the model with its checkpoint name: 'backbone/...'
 * (trainable, then BN moving statistics) and 'head/classCenters',
 * 'head/bias'. Names that would collide get '#<index>'.
 */
export function nameVariables(
  backbone: Backbone,
  head: MarginSoftmaxHead,
): NamedVariable[] {
  const named: NamedVariable[] = [];
  const used = new Set<string>();
  const add = (name: string, group: NamedVariable['group'], v: tf.Variable) => {
    const unique = used.has(name) ? `${name}#${named.length}` : name;
    used.add(unique);
    named.push({ name: unique, group, variable: v });
  };
  for (const v of backbone.trainableWeights) {
    add(`backbone/${stableName(v)}`, 'backbone', v);
  }
  for (const v of backbone.nonTrainableWeights) {
    add(`backbone/${stableName(v)}`, 'backboneState', v);
  }
  for (const v of head.trainableVariables()) {
    const role = v === head.centers.bias ? 'bias' : 'classCenters';
    add(`head/${role}`, 'head', v);
  }
  return named;
}

export function describeModel(
  backbone: Backbone,
  head: MarginSoftmaxHead,
): ModelDescription {
  const config = (backbone as { config?: unknown }).config;
  return {
    architecture: backbone.architecture,
    inputSize: backbone.inputSize,
    embeddingDim: backbone.embeddingDim,
    backboneConfig: config === undefined ? null : structuredClone(config),
    head: {
      kind: head.constructor.name,
      numClasses: head.numClasses,
      layout: head.centers.layout,
      margin: structuredClone(head.margin),
      subface: head instanceof SubFaceHead ? { ...head.subface } : null,
      partialFc: structuredClone(head.partialFc),
    },
  };
}

/**
 * Throws when the model in memory cannot take the saved one's weights:
 * another architecture, input size, embedding width, head kind, number
 * of classes or centre layout. (Margin and SubFace settings may change,
 * e.g. to fine-tune; they are recorded but not enforced.)
 */
export function checkModel(
  where: string,
  saved: ModelDescription,
  current: ModelDescription,
): void {
  const pairs: [string, unknown, unknown][] = [
    ['architecture', saved.architecture, current.architecture],
    ['inputSize', saved.inputSize, current.inputSize],
    ['embeddingDim', saved.embeddingDim, current.embeddingDim],
    ['head kind', saved.head.kind, current.head.kind],
    ['numClasses', saved.head.numClasses, current.head.numClasses],
    ['head layout', saved.head.layout, current.head.layout],
  ];
  for (const [what, expected, actual] of pairs) {
    if (expected !== actual) {
      throw new CheckpointError(
        `${where}: ${what} must be ${JSON.stringify(expected)} (the ` +
          `checkpoint's), but got ${JSON.stringify(actual)} (this model)`,
      );
    }
  }
}

/** The slot tensors' checkpoint names: 'optimizer/<slot>/<param>'. */
export function slotEntryName(param: string, slot: string): string {
  return `optimizer/${slot}/${param}`;
}

/** Host copies of every variable and optimizer slot. */
export function readArrays(
  variables: readonly NamedVariable[],
  slots: OptimizerSlots,
): NamedArray[] {
  const arrays: NamedArray[] = variables.map(({ name, group, variable }) => ({
    name,
    group,
    shape: [...variable.shape],
    values: Float32Array.from(variable.dataSync() as Float32Array),
  }));
  for (const [param, named] of Object.entries(slots.tensors)) {
    for (const [slot, tensor] of Object.entries(named)) {
      arrays.push({
        name: slotEntryName(param, slot),
        group: 'slot',
        shape: [...tensor.shape],
        values: Float32Array.from(tensor.dataSync() as Float32Array),
        param,
        slot,
      });
    }
  }
  return arrays;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks that the checkpoint holds exactly the model's variables with
 * the same shapes, naming the first one that differs; touches nothing.
 */
export function checkArrays(
  where: string,
  checkpoint: Checkpoint,
  variables: readonly NamedVariable[],
): void {
  const saved = [...checkpoint.arrays.values()].filter(
    (a) => a.group !== 'slot',
  );
  const names = new Set(variables.map((v) => v.name));
  for (const array of saved) {
    if (!names.has(array.name)) {
      throw new CheckpointError(
        `${where}: checkpoint variable '${array.name}' must exist in this ` +
          `model, but got no variable of that name`,
      );
    }
  }
  for (const { name, variable } of variables) {
    const array = checkpoint.arrays.get(name);
    if (array === undefined || array.group === 'slot') {
      throw new CheckpointError(
        `${where}: variable '${name}' must be in the checkpoint, but got ` +
          `none of that name in ${checkpoint.path}`,
      );
    }
    if (!sameShape(array.shape, variable.shape)) {
      throw new CheckpointError(
        `${where}: shape of '${name}' must be ${shapeText(variable.shape)} ` +
          `(this model), but got ${shapeText(array.shape)} (the checkpoint)`,
      );
    }
  }
}

/** Assigns the checkpoint's values to the model's variables. */
export function writeVariables(
  checkpoint: Checkpoint,
  variables: readonly NamedVariable[],
): void {
  for (const { name, variable } of variables) {
    const array = checkpoint.arrays.get(name) as NamedArray;
    tf.tidy(() => variable.assign(tf.tensor(array.values, array.shape)));
  }
}

/**
 * The optimizer slots saved in `checkpoint`, as tensors (the caller
 * disposes them), checked against the parameters' shapes.
 */
export function readSlots(
  where: string,
  checkpoint: Checkpoint,
  kind: OptimizerKind,
  iterations: number,
  params: readonly NamedVariable[],
): OptimizerSlots {
  const shapes = new Map(params.map((p) => [p.name, p.variable.shape]));
  const tensors: OptimizerSlots['tensors'] = {};
  for (const array of checkpoint.arrays.values()) {
    if (array.group !== 'slot') continue;
    const param = array.param as string;
    const shape = shapes.get(param);
    if (shape === undefined || !sameShape(shape, array.shape)) {
      throw new CheckpointError(
        `${where}: slot '${array.name}' must match a parameter's shape, ` +
          `but got ${shapeText(array.shape)} for ` +
          (shape === undefined ? 'no parameter' : shapeText(shape)),
      );
    }
    tensors[param] ??= {};
    tensors[param][array.slot as string] = tf.tensor(array.values, array.shape);
  }
  return { kind, iterations, tensors };
}
