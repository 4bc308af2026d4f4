/**
 * One notebook output: the MIME bundle of a payload (the custom +json
 * object for our renderers, an SVG for everyone else, and text/plain),
 * capped to stay under MAX_OUTPUT_BYTES.
 */
import { inspect } from 'node:util';

import { Chart, aggregationChart, projectionChart } from './charts';
import { trainingChart, verificationChart } from './charts_curves';
import {
  capAggregation,
  capProjection,
  capTraining,
  DEFAULT_DISPLAY_CAPS,
  DisplayCaps,
  MAX_OUTPUT_BYTES,
  scaleCaps,
} from './caps';
import { MIME_TYPES, PayloadKind, PayloadOf } from './contract';
import { renderSvg } from './svg';
import {
  aggregationText,
  projectionText,
  trainingText,
  verificationText,
} from './text';
import { assertPayload } from './validate';

export const SVG_MIME = 'image/svg+xml';
export const TEXT_MIME = 'text/plain';

/** A Jupyter display_data message's content. */
export interface MimeBundle {
  /** +json payloads as objects, SVG and text as strings. */
  data: { [mime: string]: unknown };
  metadata: { [mime: string]: unknown };
  /** display_id: the handle of an output that updates in place. */
  transient?: { display_id?: string };
}

/** A capped payload with its chart and text, before the SVG is drawn. */
export interface PreparedView<K extends PayloadKind> {
  kind: K;
  payload: PayloadOf[K];
  chart: Chart;
  text: string;
}

type Steps<K extends PayloadKind> = {
  cap(payload: PayloadOf[K], caps: DisplayCaps): PayloadOf[K];
  chart(payload: PayloadOf[K], caps: DisplayCaps): Chart;
  text(payload: PayloadOf[K], drawn: string): string;
};

const STEPS: { [K in PayloadKind]: Steps<K> } = {
  projection: {
    cap: capProjection,
    chart: (payload, caps) => projectionChart(payload, caps.svgPoints),
    text: projectionText,
  },
  aggregation: {
    cap: capAggregation,
    chart: (payload, caps) => aggregationChart(payload, caps.svgCells),
    text: aggregationText,
  },
  training: { cap: capTraining, chart: trainingChart, text: trainingText },
  verification: {
    cap: (payload) => payload,
    chart: verificationChart,
    text: verificationText,
  },
};

/**
 * Validates `payload`, caps it and writes its chart spec and text.
 * Throws a PayloadError when the payload is invalid.
 */
export function prepareView<K extends PayloadKind>(
  kind: K,
  payload: PayloadOf[K],
  caps: DisplayCaps = DEFAULT_DISPLAY_CAPS,
): PreparedView<K> {
  const mime = MIME_TYPES[kind];
  const steps = STEPS[kind] as Steps<K>;
  assertPayload(mime, payload);
  const capped = steps.cap(payload, caps);
  assertPayload(mime, capped);
  const chart = steps.chart(capped, caps);
  return {
    kind,
    payload: capped,
    chart,
    text: steps.text(capped, chart.drawn),
  };
}

/** The bundle of a prepared view; `svg` null leaves the image out. */
export function assembleBundle(
  view: PreparedView<PayloadKind>,
  svg: string | null,
): MimeBundle {
  const data: MimeBundle['data'] = { [MIME_TYPES[view.kind]]: view.payload };
  if (svg !== null) data[SVG_MIME] = svg;
  data[TEXT_MIME] = view.text;
  return { data, metadata: {} };
}

/** Size of a bundle's data as JSON, in bytes. */
export function bundleBytes(bundle: MimeBundle): number {
  return Buffer.byteLength(JSON.stringify(bundle.data));
}

/**
 * Gives `bundle` a one-line form for console.log and util.inspect (a
 * notebook logs a cell's last value; the SVG would flood it). JSON and
 * the data are unchanged.
 */
export function withShortForm(bundle: MimeBundle): MimeBundle {
  const kilobytes = (bundleBytes(bundle) / 1000).toFixed(1);
  const line = `MimeBundle [${Object.keys(bundle.data).join(', ')}] ${kilobytes} KB`;
  Object.defineProperty(bundle, inspect.custom, { value: () => line });
  return bundle;
}

/** Tries with smaller caps before accepting an output over the aim. */
const MAX_TRIES = 4;

/**
 * The whole bundle of a payload: capped, drawn, under `maxBytes` when
 * halving the caps a few times gets there (else the smallest try, with
 * its size stated in text/plain: nothing is dropped silently).
 */
export async function makeBundle<K extends PayloadKind>(
  kind: K,
  payload: PayloadOf[K],
  caps: DisplayCaps = DEFAULT_DISPLAY_CAPS,
  maxBytes = MAX_OUTPUT_BYTES,
): Promise<MimeBundle> {
  let bundle: MimeBundle | null = null;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const tryCaps = scaleCaps(caps, 0.5 ** attempt);
    const view = prepareView(kind, payload, tryCaps);
    bundle = assembleBundle(view, await renderSvg(view.chart.spec));
    if (bundleBytes(bundle) <= maxBytes) return bundle;
  }
  const last = bundle as MimeBundle;
  const kilobytes = Math.round(bundleBytes(last) / 1000);
  last.data[TEXT_MIME] +=
    `\nnote: this output is ${kilobytes} KB, over the ` +
    `${Math.round(maxBytes / 1000)} KB aim even with smaller caps`;
  return last;
}
