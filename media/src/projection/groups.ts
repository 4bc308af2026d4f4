/**
 * Points grouped by identity for the legend: the identities with the
 * most shown points get a trace and a colour each, all others share one
 * grey "other" trace.
 */
import type { ProjectionView } from '../../../kernels/subface/display/contract';

/** Identities with their own trace (and legend entry), at most. */
export const MAX_LEGEND_IDENTITIES = 12;

export interface Group {
  /** Legend name. */
  name: string;
  /** The identity's label; null for the "other" group. */
  label: number | null;
  /** Positions in the view's arrays of this group's points. */
  points: number[];
}

/** The identity name of a label, as the legend and lists show it. */
export function identityName(classNames: readonly string[], label: number) {
  const name = classNames[label];
  return name === undefined || name === '' ? `id ${label}` : name;
}

/**
 * Groups of `view`'s points: the `maxGroups` identities with the most
 * points (ties by label), then "other" when any point is left.
 */
export function groupByIdentity(
  view: ProjectionView,
  classNames: readonly string[],
  maxGroups = MAX_LEGEND_IDENTITIES,
): Group[] {
  const byLabel = new Map<number, number[]>();
  view.labels.forEach((label, point) => {
    const points = byLabel.get(label);
    if (points === undefined) byLabel.set(label, [point]);
    else points.push(point);
  });
  const ranked = [...byLabel.entries()].sort(
    ([labelA, a], [labelB, b]) => b.length - a.length || labelA - labelB,
  );
  const groups: Group[] = ranked.slice(0, maxGroups).map(([label, points]) => ({
    name: identityName(classNames, label),
    label,
    points,
  }));
  const rest = ranked.slice(maxGroups);
  if (rest.length > 0) {
    const points = rest.flatMap(([, p]) => p).sort((a, b) => a - b);
    groups.push({ name: `other (${rest.length} ids)`, label: null, points });
  }
  return groups;
}
