/**
 * Which margin softmax a head uses, with its defaults and validation.
 *
 * Every named kind is a case of the combined margin of InsightFace:
 * the target logit is `s * (cos(m1 * theta + m2) - m3)`, every other logit
 * `s * cos(theta_j)`. `softmax` is the plain linear classifier with a bias.
 */
import { checkKeys, checkNumber, checkOption, fail } from './errors';

export const MARGIN_KINDS = [
  'softmax',
  'normface',
  'cosface',
  'arcface',
  'combined',
] as const;

export type MarginKind = (typeof MARGIN_KINDS)[number];

export interface MarginConfig {
  /** Which loss; default 'arcface'. */
  kind?: MarginKind;
  /**
   * The scale s applied to every cosine; default 64. Not allowed with
   * 'softmax', whose logits are unnormalised.
   */
  scale?: number;
  /**
   * The margin of 'cosface' (subtracted from the target cosine, default
   * 0.35) or 'arcface' (added to the target angle, default 0.5).
   */
  margin?: number;
  /** 'combined' only: angle multiplier m1 >= 1; default 1. */
  m1?: number;
  /** 'combined' only: additive angular margin m2 in [0, pi/2); default 0. */
  m2?: number;
  /** 'combined' only: additive cosine margin m3 in [0, 1]; default 0. */
  m3?: number;
  /**
   * ArcFace only (m1 = 1, m3 = 0, m2 > 0): use the plain target cosine
   * wherever cos(theta) <= 0 instead of the threshold fallback; default
   * false.
   */
  easyMargin?: boolean;
}

/** A validated margin: every field present, in the combined form. */
export interface ResolvedMargin {
  kind: MarginKind;
  /** Whether embeddings and class centres are L2-normalised. */
  normalized: boolean;
  /** Whether the classifier has a bias (softmax only). */
  useBias: boolean;
  /** s; 1 for 'softmax'. */
  scale: number;
  m1: number;
  m2: number;
  m3: number;
  easyMargin: boolean;
}

export const DEFAULT_SCALE = 64;
export const DEFAULT_ARCFACE_MARGIN = 0.5;
export const DEFAULT_COSFACE_MARGIN = 0.35;

export const DEFAULT_MARGIN_CONFIG: Readonly<
  Required<Pick<MarginConfig, 'kind' | 'scale' | 'easyMargin'>>
> = { kind: 'arcface', scale: DEFAULT_SCALE, easyMargin: false };

const KNOWN_KEYS = ['kind', 'scale', 'margin', 'm1', 'm2', 'm3', 'easyMargin'];

/** Keys that a kind does not use; giving one is an error, not a no-op. */
const FORBIDDEN: Record<MarginKind, readonly string[]> = {
  softmax: ['scale', 'margin', 'm1', 'm2', 'm3', 'easyMargin'],
  normface: ['margin', 'm1', 'm2', 'm3', 'easyMargin'],
  cosface: ['m1', 'm2', 'm3', 'easyMargin'],
  arcface: ['m1', 'm2', 'm3'],
  combined: ['margin'],
};

/**
 * Validates a margin config and returns a new, complete one.
 * Throws a LossError naming the bad field and the valid choices.
 */
export function resolveMarginConfig(config: MarginConfig = {}): ResolvedMargin {
  const where = 'resolveMarginConfig';
  checkKeys(where, config, KNOWN_KEYS);
  const kind = checkOption(
    where,
    'kind',
    config.kind ?? DEFAULT_MARGIN_CONFIG.kind,
    MARGIN_KINDS,
  );
  for (const key of FORBIDDEN[kind]) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined) {
      fail(where, `${key} with kind '${kind}'`, 'left unset', value);
    }
  }
  if (kind === 'softmax') {
    return {
      kind,
      normalized: false,
      useBias: true,
      scale: 1,
      m1: 1,
      m2: 0,
      m3: 0,
      easyMargin: false,
    };
  }

  const scale = checkNumber(where, 'scale', config.scale ?? DEFAULT_SCALE, {
    min: Number.MIN_VALUE,
    max: 1e4,
  });
  let m1 = 1;
  let m2 = 0;
  let m3 = 0;
  if (kind === 'cosface') {
    m3 = config.margin ?? DEFAULT_COSFACE_MARGIN;
  } else if (kind === 'arcface') {
    m2 = config.margin ?? DEFAULT_ARCFACE_MARGIN;
  } else if (kind === 'combined') {
    m1 = config.m1 ?? 1;
    m2 = config.m2 ?? 0;
    m3 = config.m3 ?? 0;
  }
  const marginName = kind === 'combined' ? 'm1' : 'margin';
  checkNumber(where, marginName, m1, { min: 1, max: 16 });
  // Past pi/2 the threshold fallback would stop being monotone in theta.
  checkNumber(where, kind === 'arcface' ? 'margin' : 'm2', m2, {
    min: 0,
    max: Math.PI / 2 - 1e-6,
  });
  checkNumber(where, kind === 'cosface' ? 'margin' : 'm3', m3, {
    min: 0,
    max: 1,
  });

  const easyMargin = config.easyMargin ?? DEFAULT_MARGIN_CONFIG.easyMargin;
  if (typeof easyMargin !== 'boolean') {
    fail(where, 'easyMargin', 'a boolean', easyMargin);
  }
  if (easyMargin && !(m1 === 1 && m3 === 0 && m2 > 0)) {
    fail(
      where,
      'easyMargin',
      'false unless the margin is pure ArcFace (m1 = 1, m2 > 0, m3 = 0)',
      { easyMargin, m1, m2, m3 },
    );
  }
  return {
    kind,
    normalized: true,
    useBias: false,
    scale,
    m1,
    m2,
    m3,
    easyMargin,
  };
}
