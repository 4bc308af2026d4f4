/**
 * The VS Code notebook renderer for our MIME types (the entry point of
 * the `notebookRenderer` contribution). VS Code calls renderOutputItem
 * again with the same element when the kernel updates an output in
 * place; that update redraws the existing plot instead of making one.
 */
import type {
  OutputItem,
  RendererApi,
  RendererContext,
} from '../types/renderer_api';
import { showError } from './frame';
import { renderPayload, ViewHandle } from './index';
import { onPreferences, setPreferences } from './preferences';

/** What the renderer keeps in VS Code's renderer state. */
interface RendererState {
  keepLight?: boolean;
}

interface Output {
  mime: string;
  element: HTMLElement;
  handle: ViewHandle;
}

/** The payload of an output item, or the reason it has none. */
function readJson(item: OutputItem): { payload: unknown } | { error: string } {
  try {
    return { payload: item.json() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { error: `The output is not valid JSON (${reason}).` };
  }
}

export function activate(context: RendererContext<RendererState>): RendererApi {
  setPreferences({ keepLight: context.getState()?.keepLight ?? false });
  onPreferences(({ keepLight }) => context.setState({ keepLight }));
  const byElement = new WeakMap<HTMLElement, Output>();
  const byId = new Map<string, Output>();

  /** Tells the extension host what was drawn (tests wait for it). */
  const report = (item: OutputItem, handle: ViewHandle | null) => {
    const failure = handle === null ? 'not JSON' : handle.failure?.summary;
    context.postMessage?.({
      type: 'rendered',
      mime: item.mime,
      outputId: item.id,
      ok: failure === undefined,
      failure: failure ?? null,
    });
  };

  const release = (output: Output | undefined) => {
    output?.handle.dispose();
    if (output !== undefined) byElement.delete(output.element);
  };

  return {
    async renderOutputItem(item, element, signal) {
      const read = readJson(item);
      if (signal?.aborted) return;
      if ('error' in read) {
        release(byElement.get(element));
        showError(element, item.mime, { summary: read.error, problems: [] });
        return report(item, null);
      }
      let output = byElement.get(element);
      if (output !== undefined && output.mime === item.mime) {
        await output.handle.update(read.payload);
      } else {
        release(output);
        const handle = await renderPayload(element, item.mime, read.payload);
        output = { mime: item.mime, element, handle };
        byElement.set(element, output);
      }
      for (const [id, known] of byId) {
        if (known.element === element && id !== item.id) byId.delete(id);
      }
      byId.set(item.id, output);
      report(item, output.handle);
    },

    disposeOutputItem(id) {
      const outputs = id === undefined ? [...byId.keys()] : [id];
      for (const key of outputs) {
        release(byId.get(key));
        byId.delete(key);
      }
    },
  };
}
