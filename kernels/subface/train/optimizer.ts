/**
 * Optimizers whose whole state is explicit: every slot (momentum buffer,
 * Adam moments) is a named tensor that a checkpoint saves and restores.
 * tf.train's optimizers keep theirs inside and name them after the
 * process-unique variable names, so they cannot be resumed in a new
 * process; these are keyed by the trainer's stable parameter names.
 */
import * as tf from '@tensorflow/tfjs';

import { checkOption, fail } from './errors';

export const OPTIMIZER_KINDS = ['sgd', 'adam', 'adamw'] as const;

export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/** One variable the optimizer updates. */
export interface Param {
  /** Stable across processes, e.g. 'backbone/stem/filter'. */
  name: string;
  variable: tf.Variable;
  /** Whether weight decay applies to it. */
  decay: boolean;
}

/** Everything an optimizer needs to continue, as tensors plus JSON. */
export interface OptimizerSlots {
  kind: OptimizerKind;
  /** Updates applied so far (Adam's bias correction counts them). */
  iterations: number;
  /** tensors[paramName][slotName], shaped like the parameter. */
  tensors: Record<string, Record<string, tf.Tensor>>;
}

/**
 * The common part of SGD and Adam: slot storage, its snapshot and
 * restore. Subclasses implement `update` for one parameter.
 */
export abstract class SlotOptimizer {
  abstract readonly kind: OptimizerKind;
  /** Names of the slots each parameter gets, e.g. ['momentum']. */
  abstract readonly slotNames: readonly string[];
  protected count = 0;
  private readonly slots = new Map<string, Map<string, tf.Variable>>();

  /** Updates applied so far. */
  get iterations(): number {
    return this.count;
  }

  /**
   * One update of every parameter with its gradient, at rate `lr`.
   * @param grads gradient of each parameter by name, shaped like it
   */
  apply(
    params: readonly Param[],
    grads: Readonly<Record<string, tf.Tensor>>,
    lr: number,
  ): void {
    const where = `${this.constructor.name}.apply`;
    if (!Number.isFinite(lr) || lr < 0) {
      fail(where, 'lr', 'a finite number >= 0', lr);
    }
    for (const param of params) {
      if (grads[param.name] === undefined) {
        fail(where, `the gradient of '${param.name}'`, 'given', undefined);
      }
    }

    this.count += 1;
    for (const param of params) {
      tf.tidy(() => this.update(param, grads[param.name], lr));
    }
  }

  /** Copies of every slot (the caller disposes them). */
  getSlots(): OptimizerSlots {
    const tensors: OptimizerSlots['tensors'] = {};
    for (const [param, slots] of this.slots) {
      tensors[param] = {};
      for (const [name, value] of slots) {
        tensors[param][name] = value.clone();
      }
    }
    return { kind: this.kind, iterations: this.count, tensors };
  }

  /**
   * Replaces all slots by copies of `slots` (the caller keeps
   * ownership of the tensors it passes).
   */
  setSlots(slots: OptimizerSlots): void {
    const where = `${this.constructor.name}.setSlots`;
    checkOption(where, 'slots.kind', slots?.kind, [this.kind]);
    if (!Number.isInteger(slots.iterations) || slots.iterations < 0) {
      fail(where, 'slots.iterations', 'an integer >= 0', slots.iterations);
    }
    for (const [param, named] of Object.entries(slots.tensors)) {
      for (const name of Object.keys(named)) {
        checkOption(where, `slot name of '${param}'`, name, this.slotNames);
      }
    }

    this.clearSlots();
    this.count = slots.iterations;
    for (const [param, named] of Object.entries(slots.tensors)) {
      const map = new Map<string, tf.Variable>();
      for (const [name, value] of Object.entries(named)) {
        const copy = value.clone();
        map.set(name, tf.variable(copy, false));
        copy.dispose();
      }
      this.slots.set(param, map);
    }
  }

  /** Names of the parameters that have slots, in creation order. */
  slotParams(): string[] {
    return [...this.slots.keys()];
  }

  dispose(): void {
    this.clearSlots();
  }

  /** Runs inside tf.tidy; assigns the new value to `param.variable`. */
  protected abstract update(param: Param, grad: tf.Tensor, lr: number): void;

  /** The slot `name` of `param`, or null before its first update. */
  protected getSlot(param: Param, name: string): tf.Variable | null {
    return this.slots.get(param.name)?.get(name) ?? null;
  }

  /** Sets slot `name` of `param` to `value`, creating it if needed. */
  protected setSlot(param: Param, name: string, value: tf.Tensor): void {
    let map = this.slots.get(param.name);
    if (map === undefined) {
      map = new Map();
      this.slots.set(param.name, map);
    }
    const slot = map.get(name);
    if (slot === undefined) {
      // Variables survive the tidy of the update; `value` does not.
      map.set(name, tf.variable(value, false));
    } else {
      slot.assign(value);
    }
  }

  private clearSlots(): void {
    for (const slots of this.slots.values()) tf.dispose([...slots.values()]);
    this.slots.clear();
  }
}
