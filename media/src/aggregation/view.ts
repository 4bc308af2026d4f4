/**
 * The aggregation view: the class x subspace heatmap with column means
 * and per-class gaps, sorting and a choice of colour scale; with further
 * runs, the two side by side or their difference; and the pair view
 * below when the payload carries pairs.
 */
import type {
  AggregationPayload,
  AggregationRun,
} from '../../../kernels/subface/display/contract';
import { addPlotArea, addSelect, make } from '../frame';
import { draw, purge } from '../plotly';
import type { Theme } from '../theme';
import type { Mount, View, ViewContext } from '../view';
import {
  CompareMode,
  heatmapHeight,
  heatmapLayout,
  heatmapTraces,
  HeatmapScene,
  ScaleKind,
  SCALE_CHOICES,
} from './heatmap';
import { pairLayout, pairSummary, pairTraces, runsWithPairs } from './pairs';
import {
  alignRows,
  differenceTable,
  reorder,
  rowOrder,
  SORT_CHOICES,
  SortKey,
  tableOf,
} from './table';

const PAIR_HEIGHT = 380;

const COMPARE_CHOICES: readonly { value: CompareMode; text: string }[] = [
  { value: 'single', text: 'this run' },
  { value: 'sideBySide', text: 'side by side' },
  { value: 'difference', text: 'difference' },
];

class AggregationDrawing implements View<AggregationPayload> {
  private sort: SortKey = 'label';
  private scale: ScaleKind = 'fixed';
  private mode: CompareMode = 'single';
  private otherIndex = 0;
  private readonly heatmapArea: HTMLElement;
  private pairArea: HTMLElement | null = null;
  private readonly controls = make('span', 'subface-controls');

  constructor(
    private readonly context: ViewContext,
    private payload: AggregationPayload,
  ) {
    context.frame.toolbar.appendChild(this.controls);
    this.heatmapArea = addPlotArea(context.frame, 400);
    if (payload.otherRuns?.length) this.mode = 'sideBySide';
  }

  private get runs(): AggregationRun[] {
    return [this.payload, ...(this.payload.otherRuns ?? [])];
  }

  async update(payload: AggregationPayload): Promise<void> {
    this.payload = payload;
    const others = payload.otherRuns?.length ?? 0;
    if (this.otherIndex >= others) this.otherIndex = 0;
    if (others === 0) this.mode = 'single';
    await this.redraw();
  }

  async redraw(): Promise<void> {
    const theme = this.context.theme();
    const scene = this.scene();
    this.heatmapArea.style.height = `${heatmapHeight(scene.tables[0].rows.length)}px`;
    const revision = `${this.mode}-${this.sort}-${this.otherIndex}`;
    await draw(
      this.heatmapArea,
      heatmapTraces(scene, theme),
      heatmapLayout(scene, theme, revision),
    );
    await this.drawPairs(theme);
    this.renderControls();
    this.renderCaption();
  }

  dispose(): void {
    purge(this.heatmapArea);
    if (this.pairArea !== null) purge(this.pairArea);
  }

  /** The tables to draw for the current choices. */
  private scene(): HeatmapScene {
    const base = tableOf(this.payload);
    const sorted = reorder(base, rowOrder(base, this.sort));
    const other = this.payload.otherRuns?.[this.otherIndex];
    const scene = { mode: this.mode, scale: this.scale };
    if (other === undefined || this.mode === 'single') {
      return { ...scene, mode: 'single', tables: [sorted] };
    }
    const aligned = alignRows(sorted, other);
    if (this.mode === 'sideBySide') {
      return { ...scene, tables: [sorted, aligned] };
    }
    return { ...scene, tables: [differenceTable(sorted, aligned)] };
  }

  private async drawPairs(theme: Theme): Promise<void> {
    const runs = this.runs;
    if (runsWithPairs(runs).length === 0) {
      if (this.pairArea !== null) purge(this.pairArea);
      this.pairArea?.remove();
      this.pairArea = null;
      return;
    }
    this.pairArea ??= addPlotArea(this.context.frame, PAIR_HEIGHT);
    await draw(
      this.pairArea,
      pairTraces(runs, theme),
      pairLayout(runs, theme, 'pairs'),
    );
  }

  /** A drop-down that applies its choice and redraws. */
  private choose<T extends string>(
    label: string,
    choices: readonly { value: T; text: string }[],
    value: T,
    apply: (value: T) => void,
  ): void {
    addSelect(this.controls, label, choices, value, (chosen) => {
      apply(chosen as T);
      void this.redraw();
    });
  }

  private renderControls(): void {
    this.controls.replaceChildren();
    this.choose('sort by', SORT_CHOICES, this.sort, (v) => (this.sort = v));
    if (this.mode !== 'difference') {
      const apply = (v: ScaleKind) => (this.scale = v);
      this.choose('colour scale', SCALE_CHOICES, this.scale, apply);
    }
    const others = this.payload.otherRuns ?? [];
    if (others.length === 0) return;
    this.choose('compare', COMPARE_CHOICES, this.mode, (v) => (this.mode = v));
    if (others.length > 1) {
      const choices = others.map((run, i) => ({
        value: String(i),
        text: run.run,
      }));
      const apply = (v: string) => (this.otherIndex = Number(v));
      this.choose('with', choices, String(this.otherIndex), apply);
    }
  }

  private renderCaption(): void {
    const lines = this.runs.map((run) => {
      const blocks = run.columns.filter((c) => c !== 'full').length;
      return (
        `${run.run}: ${blocks} blocks of k=${run.k} dims ` +
        `(${run.blockMode}, seed ${run.seed}), centre ${run.center}; ` +
        run.cap.note
      );
    });
    lines.push(...this.payload.notes);
    const pairs = pairSummary(this.runs);
    if (pairs !== '') lines.push(pairs);
    this.context.frame.caption.textContent = lines.join('\n');
  }
}

export const mountAggregation: Mount<AggregationPayload> = async (
  context,
  payload,
) => {
  const drawing = new AggregationDrawing(context, payload);
  await drawing.redraw();
  return drawing;
};
