/**
 * The views as plain functions, one per payload kind: the notebook
 * renderer (renderer.ts) and the CLI's report page (report.ts) both
 * call these. Each checks its payload first and shows an error box
 * naming the problems instead of a plot when it cannot be drawn.
 */
import {
  AggregationPayload,
  MIME_TYPES,
  PayloadKind,
  PayloadOf,
  ProjectionPayload,
  TrainingPayload,
  VerificationPayload,
} from '../../kernels/subface/display/contract';
import { mountAggregation } from './aggregation/view';
import { kindOfMime } from './check';
import { showError } from './frame';
import { mountProjection } from './projection/view';
import { mountTraining } from './training/view';
import { mountVerification } from './verification/view';
import { Mount, Slot, ViewHandle, ViewOptions } from './view';

export { checkPayload, kindOfMime } from './check';
export type { CheckFailure } from './check';
export { plotlyVersion } from './plotly';
export { preferences, setPreferences } from './preferences';
export type { ViewHandle, ViewOptions } from './view';
export {
  MIME_TYPES,
  SCHEMA_VERSION,
} from '../../kernels/subface/display/contract';

const MOUNTS: { [K in PayloadKind]: Mount<PayloadOf[K]> } = {
  projection: mountProjection,
  aggregation: mountAggregation,
  training: mountTraining,
  verification: mountVerification,
};

/** A slot for `kind` in `element`, after drawing `payload`. */
export async function renderKind<K extends PayloadKind>(
  kind: K,
  element: HTMLElement,
  payload: unknown,
  options: ViewOptions = {},
): Promise<ViewHandle> {
  const mount = MOUNTS[kind] as Mount<PayloadOf[K]>;
  const slot = new Slot(element, kind, MIME_TYPES[kind], mount, options);
  await slot.update(payload);
  return slot;
}

/** Embedding projections (PCA, UMAP, t-SNE) coloured by identity. */
export function renderProjection(
  element: HTMLElement,
  payload: ProjectionPayload,
  options?: ViewOptions,
): Promise<ViewHandle> {
  return renderKind('projection', element, payload, options);
}

/** The class x subspace aggregation heatmap and the pair view. */
export function renderAggregation(
  element: HTMLElement,
  payload: AggregationPayload,
  options?: ViewOptions,
): Promise<ViewHandle> {
  return renderKind('aggregation', element, payload, options);
}

/** Loss, learning rate and accuracy curves, updated in place. */
export function renderTraining(
  element: HTMLElement,
  payload: TrainingPayload,
  options?: ViewOptions,
): Promise<ViewHandle> {
  return renderKind('training', element, payload, options);
}

/** The 10-fold verification table and the ROC. */
export function renderVerification(
  element: HTMLElement,
  payload: VerificationPayload,
  options?: ViewOptions,
): Promise<ViewHandle> {
  return renderKind('verification', element, payload, options);
}

/** Draws a payload of any of our MIME types (an error box for others). */
export function renderPayload(
  element: HTMLElement,
  mime: string,
  payload: unknown,
  options?: ViewOptions,
): Promise<ViewHandle> {
  const kind = kindOfMime(mime);
  if (kind !== null) return renderKind(kind, element, payload, options);

  const known = Object.values(MIME_TYPES).join(', ');
  const failure = {
    summary: `No SubFace view draws this MIME type (known: ${known}).`,
    problems: [],
  };
  showError(element, mime, failure);
  return Promise.resolve({
    failure,
    update: () => Promise.resolve(),
    dispose: () => undefined,
  });
}
