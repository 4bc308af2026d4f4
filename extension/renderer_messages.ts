/**
 * Messages from the SubFace renderers in the output webviews (renderer
 * messaging is optional: without it they only draw). After each draw a
 * renderer reports `{type: 'rendered', mime, outputId, ok, failure}`; a
 * failure goes to the log, and tests wait for the reports.
 */
import * as vscode from 'vscode';

export const RENDERER_ID = 'subface-renderers';

export interface RenderedMessage {
  type: 'rendered';
  mime: string;
  outputId: string;
  ok: boolean;
  failure: string | null;
  /** The notebook whose output webview sent it. */
  notebook: string;
}

/** Reports kept for waiters; older ones are dropped. */
const KEPT_MESSAGES = 500;

export class RendererMessages implements vscode.Disposable {
  readonly received: RenderedMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: (line: string) => void) {
    const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
    this.subscription = messaging.onDidReceiveMessage(({ editor, message }) =>
      this.receive(editor, message),
    );
  }

  /** The first report (already received or coming) that `matches`. */
  waitFor(
    matches: (message: RenderedMessage) => boolean,
    timeoutMs: number,
  ): Promise<RenderedMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.received.find(matches);
        if (hit === undefined) return;
        finish();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no matching renderer report in ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.waiters.clear();
  }

  private receive(editor: vscode.NotebookEditor, message: unknown): void {
    const report = message as Partial<RenderedMessage> | null;
    if (report?.type !== 'rendered') return;
    const entry: RenderedMessage = {
      type: 'rendered',
      mime: String(report.mime),
      outputId: String(report.outputId),
      ok: report.ok === true,
      failure: report.failure ?? null,
      notebook: editor.notebook.uri.toString(),
    };
    if (!entry.ok) {
      this.log(`renderer could not draw ${entry.mime}: ${entry.failure}`);
    }
    this.received.push(entry);
    if (this.received.length > KEPT_MESSAGES) this.received.shift();
    for (const check of [...this.waiters]) check();
  }
}
