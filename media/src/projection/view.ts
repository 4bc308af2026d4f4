/**
 * The projection view: a WebGL scatter of the embeddings coloured by
 * identity, with a choice between the payload's views (PCA, UMAP,
 * t-SNE), a 2-D/3-D switch for views with z, the hovered point's card
 * and the clicked point's nearest neighbours.
 */
import type {
  ProjectionPayload,
  ProjectionView,
} from '../../../kernels/subface/display/contract';
import { addPlotArea, addSelect, addToggle, make } from '../frame';
import { draw, EventPoint, PlotElement, purge, Trace } from '../plotly';
import { colourAt, Theme } from '../theme';
import type { Mount, View, ViewContext } from '../view';
import { Group, groupByIdentity } from './groups';
import { Neighbour, NeighbourSpace, neighboursOf } from './neighbours';
import { hoverCard, neighbourList } from './panel';
import {
  groupTraces,
  projectionLayout,
  ProjectionScene,
  selectionTrace,
} from './traces';

const PLOT_HEIGHT = 480;

const METHOD_LABELS = { pca: 'PCA', umap: 'UMAP', tsne: 't-SNE' };

function viewName(view: ProjectionView): string {
  return `${METHOD_LABELS[view.method]} (${view.dims}-D)`;
}

class ProjectionDrawing implements View<ProjectionPayload> {
  private viewIndex = 0;
  private use3d: boolean;
  private groups: Group[] = [];
  private selected: number | null = null;
  private neighbours: Neighbour[] = [];
  private neighbourSpace: NeighbourSpace = 'projection';
  private readonly area: HTMLElement;
  private readonly controls = make('span', 'subface-controls');
  private readonly hoverBox = make('div');
  private readonly neighbourBox = make('div');
  private listening = false;
  /**
   * The group traces of the last draw and what they were made for: a
   * click redraws with the same objects, so Plotly.react re-uploads
   * only the selection trace (at 50k points, the difference matters).
   */
  private cached: { key: string; traces: Trace[] } | null = null;

  constructor(
    private readonly context: ViewContext,
    private payload: ProjectionPayload,
  ) {
    const { frame } = context;
    this.area = addPlotArea(frame, PLOT_HEIGHT);
    frame.toolbar.appendChild(this.controls);
    frame.side.append(this.hoverBox, this.neighbourBox);
    this.use3d = payload.views[0].dims === 3;
  }

  private get view(): ProjectionView {
    return this.payload.views[this.viewIndex];
  }

  async update(payload: ProjectionPayload): Promise<void> {
    const before = viewName(this.view);
    this.payload = payload;
    this.cached = null;
    const same = payload.views.findIndex((v) => viewName(v) === before);
    this.viewIndex = Math.max(0, same);
    this.clearSelection();
    await this.redraw();
  }

  async redraw(): Promise<void> {
    const theme = this.context.theme();
    const view = this.view;
    this.use3d = this.use3d && view.z !== undefined;
    this.groups = groupByIdentity(view, this.payload.classNames);
    if (this.selected !== null) {
      const found = neighboursOf(view, this.coordinates(), this.selected);
      this.neighbours = found.neighbours;
      this.neighbourSpace = found.space;
    }
    const scene = {
      view,
      groups: this.groups,
      use3d: this.use3d,
      selected: this.selected,
      neighbours: this.neighbours,
    };
    const revision = `${this.viewIndex}-${this.use3d}`;
    const traces = [
      ...this.groupTracesFor(scene, theme),
      selectionTrace(scene, theme),
    ];
    const plot = await draw(
      this.area,
      traces,
      projectionLayout(scene, theme, revision),
    );
    this.listen(plot);
    this.renderControls();
    this.renderSide(theme);
    this.renderCaption();
  }

  dispose(): void {
    purge(this.area);
    this.cached = null;
  }

  private groupTracesFor(scene: ProjectionScene, theme: Theme): Trace[] {
    const key = JSON.stringify([this.viewIndex, this.use3d, theme]);
    if (this.cached?.key !== key) {
      this.cached = { key, traces: groupTraces(scene, theme) };
    }
    return this.cached.traces;
  }

  private coordinates() {
    const { x, y, z } = this.view;
    return this.use3d ? { x, y, z } : { x, y };
  }

  /** The point of the view behind a plotly event point, if any. */
  private pointOf(event: EventPoint | undefined): number | null {
    const group =
      event === undefined ? undefined : this.groups[event.curveNumber];
    return group?.points[event?.pointNumber ?? -1] ?? null;
  }

  private listen(plot: PlotElement): void {
    if (this.listening) return;
    this.listening = true;
    plot.on('plotly_hover', (data) => {
      const point = this.pointOf(data.points?.[0]);
      if (point !== null) this.showHover(point);
    });
    plot.on('plotly_click', (data) => {
      const point = this.pointOf(data.points?.[0]);
      if (point !== null) void this.select(point);
    });
  }

  /** Selects a point (a position in the view's arrays) and redraws. */
  async select(point: number): Promise<void> {
    this.selected = point;
    await this.redraw();
  }

  private clearSelection(): void {
    this.selected = null;
    this.neighbours = [];
  }

  private colourOf(theme: Theme) {
    const position = new Map(this.groups.map((g, i) => [g.label, i]));
    return (label: number) => {
      const index = position.get(label);
      return index === undefined ? theme.other : colourAt(theme, index);
    };
  }

  private showHover(point: number): void {
    const colourOf = this.colourOf(this.context.theme());
    const card = hoverCard(this.payload, this.view, point, colourOf);
    this.hoverBox.replaceChildren(card);
  }

  private renderSide(theme: Theme): void {
    if (this.selected === null) {
      this.neighbourBox.replaceChildren();
      return;
    }
    const space = this.neighbourSpaceText();
    this.neighbourBox.replaceChildren(
      neighbourList(
        this.payload,
        this.view,
        this.selected,
        this.neighbours,
        this.colourOf(theme),
        space,
      ),
    );
  }

  /** Where the listed neighbours were found, for the list's heading. */
  private neighbourSpaceText(): string {
    if (this.neighbourSpace === 'embedding') {
      return 'the embedding space (cosine similarity)';
    }
    const dims = this.use3d ? '3-D' : '2-D';
    const method = METHOD_LABELS[this.view.method];
    return `the shown ${dims} ${method} coordinates`;
  }

  private renderControls(): void {
    this.controls.replaceChildren();
    const views = this.payload.views;
    if (views.length > 1) {
      const choices = views.map((v, i) => ({
        value: String(i),
        text: viewName(v),
      }));
      addSelect(this.controls, 'view', choices, String(this.viewIndex), (v) =>
        this.switchView(Number(v)),
      );
    }
    if (this.view.z !== undefined) {
      addToggle(this.controls, '3-D', this.use3d, (on) => {
        this.use3d = on;
        this.clearSelection();
        void this.redraw();
      });
    }
  }

  private switchView(index: number): void {
    this.viewIndex = index;
    this.use3d = this.view.dims === 3;
    this.clearSelection();
    this.hoverBox.replaceChildren();
    void this.redraw();
  }

  private renderCaption(): void {
    const { payload, view } = this;
    const lines = [`${payload.run}: ${view.cap.note}`];
    lines.push(...payload.notes, ...view.notes);
    if (payload.thumbnails?.cap.sampled) {
      lines.push(`thumbnails: ${payload.thumbnails.cap.note}`);
    }
    this.context.frame.caption.textContent = lines.join('\n');
  }
}

export const mountProjection: Mount<ProjectionPayload> = async (
  context,
  payload,
) => {
  const drawing = new ProjectionDrawing(context, payload);
  await drawing.redraw();
  return drawing;
};
