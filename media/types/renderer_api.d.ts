/**
 * The part of VS Code's notebook renderer API that our renderer uses
 * (the shape of the `vscode-notebook-renderer` types, written out here
 * so the bundle needs no extra package).
 */

/** One output item handed to a renderer. */
export interface OutputItem {
  /** Stable id of the output; disposeOutputItem receives it. */
  readonly id: string;
  readonly mime: string;
  readonly metadata: unknown;
  /** The data parsed as JSON (throws on text that is not JSON). */
  json(): unknown;
  text(): string;
}

/** What VS Code passes to `activate`. */
export interface RendererContext<State> {
  getState(): State | undefined;
  setState(state: State): void;
  /** Present when the renderer declares `requiresMessaging`. */
  postMessage?(message: unknown): void;
  readonly workspace?: { readonly isTrusted: boolean };
}

/** What `activate` returns. */
export interface RendererApi {
  renderOutputItem(
    outputItem: OutputItem,
    element: HTMLElement,
    signal?: AbortSignal,
  ): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}
