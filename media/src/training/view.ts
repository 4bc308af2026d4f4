/**
 * The training view: loss, learning rate and accuracy against step for
 * this run and any others, with a status line. A live run sends the
 * same output again (update_display_data); the update redraws the one
 * plot in place with Plotly.react, keeping the user's zoom.
 */
import type { TrainingPayload } from '../../../kernels/subface/display/contract';
import { addPlotArea, addToggle, make } from '../frame';
import { draw, purge } from '../plotly';
import type { Mount, View, ViewContext } from '../view';
import { runsOf, statusLine, trainingLayout, trainingTraces } from './traces';

class TrainingDrawing implements View<TrainingPayload> {
  private logLoss = false;
  private readonly area: HTMLElement;

  constructor(
    private readonly context: ViewContext,
    private payload: TrainingPayload,
  ) {
    const controls = make('span', 'subface-controls');
    addToggle(controls, 'log loss', this.logLoss, (on) => {
      this.logLoss = on;
      void this.redraw();
    });
    context.frame.toolbar.appendChild(controls);
    this.area = addPlotArea(context.frame, 520);
  }

  async update(payload: TrainingPayload): Promise<void> {
    this.payload = payload;
    await this.redraw();
  }

  async redraw(): Promise<void> {
    const theme = this.context.theme();
    const layout = trainingLayout(this.payload, theme, this.logLoss);
    this.area.style.height = `${layout.height as number}px`;
    await draw(this.area, trainingTraces(this.payload, theme), layout);

    const { frame } = this.context;
    frame.status.textContent = runsOf(this.payload).map(statusLine).join('\n');
    frame.caption.textContent = runsOf(this.payload)
      .map((run) => `${run.run}: ${run.cap.note}`)
      .join('\n');
  }

  dispose(): void {
    purge(this.area);
  }
}

export const mountTraining: Mount<TrainingPayload> = async (
  context,
  payload,
) => {
  const drawing = new TrainingDrawing(context, payload);
  await drawing.redraw();
  return drawing;
};
