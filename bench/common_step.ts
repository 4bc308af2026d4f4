/**
 * The tfjs side of the train_step benchmark: the CPU ResNet, the library's
 * CosFace head (s = 64, m = 0.35, as bench/torch_train_step.py), SGD with
 * momentum and one fixed batch, on whatever backend is current. Used in
 * the main thread and in the data-parallel workers.
 */
import * as tf from '@tensorflow/tfjs';

import { CpuResNet } from '../kernels/subface/backbones/cpu_resnet';
import { MarginSoftmaxHead } from '../kernels/subface/losses';

export const EMBEDDING_DIM = 512;
export const LEARNING_RATE = 0.1;
export const MOMENTUM = 0.9;

export interface StepConfig {
  size: number;
  batch: number;
  classes: number;
  /** Seed of the images and labels (the weights always use seed 1, 2). */
  dataSeed: number;
}

export class TfjsStep {
  readonly net: CpuResNet;
  private readonly head: MarginSoftmaxHead;
  private readonly optimizer: tf.MomentumOptimizer;
  private readonly images: tf.Tensor4D;
  private readonly labels: tf.Tensor1D;

  constructor(config: StepConfig) {
    const { size, batch, classes, dataSeed } = config;
    this.net = new CpuResNet({ inputSize: size, seed: 1 });
    this.head = new MarginSoftmaxHead({
      numClasses: classes,
      embeddingDim: EMBEDDING_DIM,
      margin: { kind: 'cosface', margin: 0.35, scale: 64 },
      seed: 2,
    });
    this.optimizer = tf.train.momentum(LEARNING_RATE, MOMENTUM);
    this.images = tf.randomNormal(
      [batch, size, size, 3],
      0,
      1,
      'float32',
      dataSeed,
    );
    this.labels = tf.randomUniform([batch], 0, classes, 'int32', dataSeed + 1);
  }

  /** Every trainable variable, backbone first, class centres last. */
  get variables(): tf.Variable[] {
    return [...this.net.trainableWeights, ...this.head.trainableVariables()];
  }

  /** Number of scalars in `variables`. */
  get size(): number {
    return this.variables.reduce((sum, v) => sum + v.size, 0);
  }

  private loss(): tf.Scalar {
    const rawEmbeddings = this.net.apply(this.images, { training: true });
    return this.head.loss(rawEmbeddings, this.labels);
  }

  /** One full step; returns the loss (reading it waits for the step). */
  run(): number {
    const loss = this.optimizer.minimize(
      () => this.loss(),
      true,
      this.variables,
    );
    const value = loss!.dataSync()[0];
    loss!.dispose();
    return value;
  }

  /** Seconds per step of `steps` steps after `warmup` untimed ones. */
  time(warmup: number, steps: number): number[] {
    for (let i = 0; i < warmup; i++) this.run();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      this.run();
      times.push((performance.now() - start) / 1000);
    }
    return times;
  }

  /** Forward and backward only; writes all gradients into `into`. */
  gradients(into: Float32Array): number {
    const { value, grads } = tf.variableGrads(
      () => this.loss(),
      this.variables,
    );
    let offset = 0;
    for (const variable of this.variables) {
      const grad = grads[variable.name];
      into.set(grad.dataSync(), offset);
      offset += grad.size;
    }
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  }

  /** The update with gradients laid out as `gradients` writes them. */
  apply(flat: Float32Array): void {
    let offset = 0;
    const named: { name: string; tensor: tf.Tensor }[] = [];
    for (const variable of this.variables) {
      const values = flat.subarray(offset, offset + variable.size);
      named.push({
        name: variable.name,
        tensor: tf.tensor(values, variable.shape),
      });
      offset += variable.size;
    }
    this.optimizer.applyGradients(named);
    tf.dispose(named.map((n) => n.tensor));
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
    this.head.dispose();
    tf.dispose([this.images, this.labels]);
  }
}
