/**
 * The VS Code workbench in headless Chromium (playwright-core): a fresh
 * browser profile per run, the hooks through which VS Code reports the
 * end of an extension-host test run (`codeAutomationExit`, as
 * @vscode/test-web uses them), the command palette, and the output
 * webviews' frames, where the renderers draw.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { BrowserContext, chromium, Frame, Page } from 'playwright-core';

import { CHROMIUM } from './environment';

export interface Workbench {
  context: BrowserContext;
  page: Page;
  /** Console lines of the workbench (the extension host's logs too). */
  console: string[];
  /** Resolves with the exit code when VS Code ends a test run. */
  exitCode: Promise<number>;
  close(): Promise<void>;
}

const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Opens `url` in a new browser profile under `root`. */
export async function openWorkbench(
  url: string,
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<Workbench> {
  const profile = path.join(root, 'chromium');
  fs.mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: BROWSER_ARGS,
    env: { ...process.env, ...env } as Record<string, string>,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  page.on('console', (message) => lines.push(message.text()));

  let exit: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (line: string) =>
    lines.push(String(line)),
  );
  await page.exposeFunction('codeAutomationExit', (code: number) =>
    exit(Number(code)),
  );
  await page.goto(url);
  return {
    context,
    page,
    console: lines,
    exitCode,
    close: () => context.close(),
  };
}

/** Waits until the workbench is loaded and the explorer shows files. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await page.waitForSelector('.explorer-folders-view', { timeout: 60_000 });
}

/** Runs a command by its palette title (F1, type, pick the row). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 20_000 });
  await input.fill(`>${title}`);
  await pickRow(page, title);
}

/** Picks the quick-input row that shows `text` (waits for it to appear). */
export async function pickRow(page: Page, text: string): Promise<void> {
  const row = page
    .locator('.quick-input-widget .monaco-list-row', { hasText: text })
    .first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

/** The output webview frames (VS Code's fake.html) of the page. */
export function outputFrames(page: Page): Frame[] {
  return page.frames().filter((frame) => frame.url().includes('fake.html'));
}

/** How many elements match `selector` across all output frames. */
export async function countInOutputs(
  page: Page,
  selector: string,
): Promise<number> {
  let count = 0;
  for (const frame of outputFrames(page)) {
    count += await frame
      .locator(selector)
      .count()
      .catch(() => 0);
  }
  return count;
}

/** Saves a screenshot of the page as `<dir>/<name>.png`. */
export async function screenshot(
  page: Page,
  dir: string,
  name: string,
): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Runs a command by its palette title once the palette lists it. An
 * installed extension's commands appear a few seconds after the
 * workbench has loaded, so the palette is closed and asked again until
 * the row shows up.
 */
export async function runCommandWhenListed(
  page: Page,
  title: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  const row = page
    .locator('.quick-input-widget .monaco-list-row', { hasText: title })
    .first();
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 20_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 3000 });
      await row.click();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) {
        throw new Error(`the command palette never listed "${title}"`, {
          cause: error,
        });
      }
      await page.waitForTimeout(1000);
    }
  }
}

/** What the notebook editor shows of one cell. */
export interface CellRow {
  index: number;
  code: boolean;
  /** The execution count label, e.g. "[3]", or "[ ]" before a run. */
  count: string;
  /** The state icon: success, error, executing, pending or "". */
  state: string;
  focused: boolean;
}

/** The cells the notebook editor has rendered now (the list is virtual). */
export function renderedCells(page: Page): Promise<CellRow[]> {
  return page
    .locator('.notebookOverlay .cell-list-container .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const icon = row.querySelector('[class*="codicon-notebook-state-"]');
        const state = [...(icon?.classList ?? [])]
          .find((name) => name.startsWith('codicon-notebook-state-'))
          ?.slice('codicon-notebook-state-'.length);
        return {
          index: Number(row.getAttribute('data-index')),
          code: row.classList.contains('code-cell-row'),
          count: row.querySelector('.execution-count-label')?.textContent ?? '',
          state: state ?? '',
          focused: row.classList.contains('focused'),
        };
      }),
    );
}

/**
 * Walks the notebook from its first cell to its last with the keyboard
 * (each focused cell is scrolled into view) and returns what each cell
 * showed. `visit` runs after each step, with the focused cell's index.
 */
export async function walkNotebook(
  page: Page,
  cellCount: number,
  visit: (index: number) => Promise<void> = async () => undefined,
): Promise<Map<number, CellRow>> {
  const seen = new Map<number, CellRow>();
  // A row being re-rendered can show its count before its status icon:
  // a field read empty keeps what an earlier reading of that row showed.
  const record = async () => {
    for (const row of await renderedCells(page)) {
      const before = seen.get(row.index);
      seen.set(row.index, {
        ...row,
        count: row.count || (before?.count ?? ''),
        state: row.state || (before?.state ?? ''),
      });
    }
  };
  await runCommand(page, 'Notebook: Focus First Cell');
  for (let index = 0; index < cellCount; index++) {
    if (index > 0) await page.keyboard.press('ArrowDown');
    await page
      .locator(
        `.notebookOverlay .monaco-list-row.focused[data-index="${index}"]`,
      )
      // Markdown rows count as hidden: their content is in the webview.
      .waitFor({ state: 'attached', timeout: 10_000 });
    await record();
    await visit(index);
  }
  await record();
  return seen;
}

/** Moves the notebook's focus to cell `index`, scrolling it into view. */
export async function focusCell(page: Page, index: number): Promise<void> {
  await walkNotebook(page, index + 1);
}
