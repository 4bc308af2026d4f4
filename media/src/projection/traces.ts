/**
 * Plotly traces and layout of a projection: one WebGL scatter trace per
 * legend group (scattergl in 2-D, scatter3d in 3-D, both fine at 50k
 * points), and one trace ringing the clicked point and its neighbours.
 */
import type { ProjectionView } from '../../../kernels/subface/display/contract';
import type { Layout, Trace } from '../plotly';
import { axisStyle, baseLayout, colourAt, Theme } from '../theme';
import type { Group } from './groups';
import type { Neighbour } from './neighbours';

/** What is on screen: the view, how it is drawn and the selection. */
export interface ProjectionScene {
  view: ProjectionView;
  groups: Group[];
  use3d: boolean;
  /** The clicked point (a position in the view's arrays), or null. */
  selected: number | null;
  neighbours: Neighbour[];
}

const METHOD_NAMES = { pca: 'PC', umap: 'UMAP ', tsne: 't-SNE ' };

/** Axis titles: 'PC1 (41.2%)', 'UMAP 2', ... */
export function axisTitles(view: ProjectionView): string[] {
  const prefix = METHOD_NAMES[view.method];
  return [0, 1, 2].slice(0, view.dims).map((axis) => {
    const share = view.explainedVariance?.[axis];
    const percent = share == null ? '' : ` (${(share * 100).toFixed(1)}%)`;
    return `${prefix}${axis + 1}${percent}`;
  });
}

/** Marker size in pixels: smaller as points get denser. */
function markerSize(numPoints: number, use3d: boolean): number {
  const size = numPoints <= 2000 ? 6 : numPoints <= 10000 ? 4 : 3;
  return use3d ? Math.max(2, size / 2) : size;
}

/** The coordinates of some points of the view, as trace fields. */
function coordinatesOf(scene: ProjectionScene, points: number[]): Trace {
  const { view, use3d } = scene;
  const pick = (values: readonly number[]) => points.map((i) => values[i]);
  const fields: Trace = { x: pick(view.x), y: pick(view.y) };
  if (use3d && view.z !== undefined) fields.z = pick(view.z);
  return fields;
}

function groupTrace(
  scene: ProjectionScene,
  group: Group,
  index: number,
  theme: Theme,
): Trace {
  const { view, use3d } = scene;
  const colour = group.label === null ? theme.other : colourAt(theme, index);
  return {
    type: use3d ? 'scatter3d' : 'scattergl',
    mode: 'markers',
    name: group.name,
    ...coordinatesOf(scene, group.points),
    text: group.points.map(() => group.name),
    customdata: group.points.map((i) => view.indices[i]),
    hovertemplate: '<b>%{text}</b><br>index %{customdata}<extra></extra>',
    marker: {
      size: markerSize(view.x.length, use3d),
      color: colour,
      opacity: group.label === null ? 0.5 : 0.85,
    },
  };
}

/** Rings around the clicked point and its neighbours. */
export function selectionTrace(scene: ProjectionScene, theme: Theme): Trace {
  const points =
    scene.selected === null
      ? []
      : [scene.selected, ...scene.neighbours.map((n) => n.point)];
  const size = markerSize(scene.view.x.length, scene.use3d) * 2.5;
  return {
    type: scene.use3d ? 'scatter3d' : 'scattergl',
    mode: 'markers',
    name: 'neighbours',
    showlegend: false,
    hoverinfo: 'skip',
    ...coordinatesOf(scene, points),
    marker: {
      size: points.map((_, i) => (i === 0 ? size * 1.4 : size)),
      symbol: 'circle-open',
      color: theme.highlight,
      line: { width: 2, color: theme.highlight },
    },
  };
}

/** One trace per legend group (they change with the view or theme). */
export function groupTraces(scene: ProjectionScene, theme: Theme): Trace[] {
  return scene.groups.map((group, i) => groupTrace(scene, group, i, theme));
}

function legendTitle(scene: ProjectionScene) {
  const named = scene.groups.filter((g) => g.label !== null).length;
  const total = new Set(scene.view.labels).size;
  const top = named < total ? ` (top ${named} of ${total})` : '';
  return `identity${top}`;
}

export function projectionLayout(
  scene: ProjectionScene,
  theme: Theme,
  uirevision: string,
): Layout {
  const titles = axisTitles(scene.view);
  const axis = (text: string) => ({
    title: { text },
    ...axisStyle(theme),
    zeroline: false,
  });
  const layout: Layout = {
    ...baseLayout(theme),
    uirevision,
    hovermode: 'closest',
    legend: {
      ...(baseLayout(theme).legend as object),
      title: { text: legendTitle(scene) },
      itemsizing: 'constant',
    },
  };
  if (scene.use3d) {
    const sceneAxis = (text: string) => ({
      ...axis(text),
      backgroundcolor: theme.background,
      showbackground: false,
    });
    layout.scene = {
      xaxis: sceneAxis(titles[0]),
      yaxis: sceneAxis(titles[1]),
      zaxis: sceneAxis(titles[2] ?? 'z'),
      bgcolor: theme.background,
    };
    layout.margin = { t: 10, r: 10, b: 10, l: 10 };
  } else {
    layout.xaxis = axis(titles[0]);
    layout.yaxis = axis(titles[1]);
  }
  return layout;
}
