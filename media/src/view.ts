/**
 * What every view shares: the interface a payload kind implements, the
 * context it draws with, and the slot that owns one output element
 * (checks each payload, shows the error box or the view, follows theme
 * and preference changes, and releases everything on dispose).
 */
import type {
  PayloadKind,
  PayloadOf,
} from '../../kernels/subface/display/contract';
import { CheckFailure, checkPayload } from './check';
import { addToggle, createFrame, Frame, showError } from './frame';
import { onPreferences, preferences, setPreferences } from './preferences';
import { readTheme, Theme, watchTheme } from './theme';

export interface ViewOptions {
  /** Show the toolbar's "light plots" toggle. Default true. */
  lightToggle?: boolean;
}

/** What a view draws with. */
export interface ViewContext {
  frame: Frame;
  /** The theme to draw with now (it changes with VS Code's theme). */
  theme(): Theme;
}

/** One payload kind's drawing, created by its mount function. */
export interface View<P> {
  /** Draws a newer payload in place (no new plot element). */
  update(payload: P): Promise<void>;
  /** Draws the current payload again with the current theme. */
  redraw(): Promise<void>;
  /** Purges the plots and removes listeners. */
  dispose(): void;
}

export type Mount<P> = (context: ViewContext, payload: P) => Promise<View<P>>;

/** What the public render functions return. */
export interface ViewHandle {
  /** Checks and draws a payload of the same kind in place. */
  update(payload: unknown): Promise<void>;
  dispose(): void;
  /** The problems of the last payload, or null when it was drawn. */
  readonly failure: CheckFailure | null;
}

function currentTheme(): Theme {
  return readTheme(preferences().keepLight);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Owns one output element for one payload kind. */
export class Slot<K extends PayloadKind> implements ViewHandle {
  failure: CheckFailure | null = null;
  private view: View<PayloadOf[K]> | null = null;
  private toggle: HTMLInputElement | null = null;
  private themeKey = '';
  private pending: { payload: unknown } | null = null;
  private redrawWanted = false;
  private running: Promise<void> | null = null;
  private disposed = false;
  private readonly stopWatching: (() => void)[];

  constructor(
    private readonly element: HTMLElement,
    private readonly kind: K,
    private readonly mime: string,
    private readonly mount: Mount<PayloadOf[K]>,
    private readonly options: ViewOptions = {},
  ) {
    this.stopWatching = [
      watchTheme(() => this.followTheme()),
      onPreferences(({ keepLight }) => {
        if (this.toggle !== null) this.toggle.checked = keepLight;
        this.followTheme();
      }),
    ];
  }

  /** Redraws when the colours to draw with have changed. */
  private followTheme(): void {
    const key = JSON.stringify(currentTheme());
    if (key === this.themeKey || this.view === null) return;
    this.themeKey = key;
    this.redrawWanted = true;
    this.running ??= this.drain();
  }

  /**
   * Checks and draws `payload`. Updates that arrive while one is drawn
   * are coalesced: only the newest waiting payload is drawn next.
   */
  update(payload: unknown): Promise<void> {
    this.pending = { payload };
    this.running ??= this.drain();
    return this.running;
  }

  /** Draws what is waiting, one thing at a time, newest payload first. */
  private async drain(): Promise<void> {
    while (this.pending !== null || this.redrawWanted) {
      const pending = this.pending;
      this.pending = null;
      // Drawing a payload uses the current theme: no redraw after it.
      this.redrawWanted = false;
      if (pending !== null) await this.apply(pending.payload);
      else await this.guarded(() => this.view?.redraw());
    }
    this.running = null;
  }

  /** Runs a drawing step; a failure shows the error box, never a blank. */
  private async guarded(step: () => Promise<void> | undefined) {
    try {
      await step();
    } catch (error) {
      const summary = `Drawing failed: ${errorText(error)}`;
      this.fail({ summary, problems: [] });
    }
  }

  private async apply(payload: unknown): Promise<void> {
    if (this.disposed) return;
    const failure = checkPayload(this.kind, payload);
    if (failure !== null) return this.fail(failure);
    const checked = payload as PayloadOf[K];
    await this.guarded(async () => {
      if (this.view === null) this.view = await this.create(checked);
      else await this.view.update(checked);
      this.failure = null;
    });
  }

  /** Shows `failure` in place of anything drawn before. */
  fail(failure: CheckFailure): void {
    this.view?.dispose();
    this.view = null;
    this.failure = failure;
    showError(this.element, this.mime, failure);
  }

  dispose(): void {
    this.disposed = true;
    this.view?.dispose();
    this.view = null;
    for (const stop of this.stopWatching) stop();
  }

  private async create(payload: PayloadOf[K]): Promise<View<PayloadOf[K]>> {
    const frame = createFrame(this.element, this.kind);
    this.themeKey = JSON.stringify(currentTheme());
    const view = await this.mount({ frame, theme: currentTheme }, payload);
    if (this.options.lightToggle !== false) {
      const checked = preferences().keepLight;
      this.toggle = addToggle(frame.toolbar, 'light plots', checked, (on) =>
        setPreferences({ keepLight: on }),
      );
    }
    return view;
  }
}
