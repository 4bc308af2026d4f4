/**
 * Several callback sinks acting as one: each event goes to every sink
 * that handles it, in order, each awaited before the next.
 */
import { TrainCallbacks } from './logs';

type CallbackName = keyof TrainCallbacks;

const CALLBACK_NAMES: readonly CallbackName[] = [
  'onStep',
  'onEpochEnd',
  'onCheckpoint',
  'onEvaluate',
  'onEnd',
];

type AnyCallback = (log: unknown) => void | Promise<void>;

/**
 * One sink made of `sinks`. A callback is present only when some sink
 * has it, so the loop can still skip work nobody listens to (e.g. an
 * evaluation context when no sink evaluates).
 */
export function combineCallbacks(...sinks: TrainCallbacks[]): TrainCallbacks {
  const combined: Record<string, AnyCallback> = {};
  for (const name of CALLBACK_NAMES) {
    const listeners = sinks.filter((sink) => typeof sink[name] === 'function');
    if (listeners.length === 0) continue;
    combined[name] = async (log) => {
      // Called as methods: a sink may be a class instance.
      for (const sink of listeners) {
        await (sink[name] as AnyCallback).call(sink, log);
      }
    };
  }
  return combined as TrainCallbacks;
}
