/**
 * The UI end-to-end test in a real VS Code (code-server 4.100.3): the
 * extension is packaged as the linux-x64 VSIX that users install, the
 * VSIX is installed into a fresh code-server profile, and headless
 * Chromium drives the workbench the way a user would. "SubFace: Open
 * Tutorial..." copies the quickstart into an empty workspace folder,
 * "Notebook: Run All" runs it on the SubFace controller, and the
 * renderer's plots are checked inside the notebook's output webview.
 * Screenshots and logs are kept as out/test-artifacts/e2e/ui-*.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../helpers/paths';
import {
  CodeServer,
  createProfile,
  delay,
  installedExtensionDir,
  installVsix,
  Profile,
  startCodeServer,
} from './code_server';
import { ARTIFACTS, runFolder, since, vscodeSkipReason } from './environment';
import {
  CellRow,
  countInOutputs,
  focusCell,
  openWorkbench,
  outputFrames,
  pickRow,
  renderedCells,
  runCommand,
  runCommandWhenListed,
  screenshot,
  waitForWorkbench,
  walkNotebook,
  Workbench,
} from './workbench';

const EXTENSION_ID = 'subface.subface';
const CONTROLLER_LABEL = 'SubFace (TypeScript)';
const TUTORIAL = '01-quickstart.ipynb';
const SHIPPED = path.join(REPO_ROOT, 'notebooks', TUTORIAL);
const PACKAGER = path.join(
  REPO_ROOT,
  'extension',
  'scripts',
  'package_vsix.mjs',
);

/**
 * The SubFace outputs of the quickstart: the payload kind (the renderer
 * draws it in a `.subface-view.subface-<kind>` element, for the MIME
 * type application/vnd.subface.<kind>+json) and the call in the cell
 * that emits it.
 */
const OUTPUTS = [
  { kind: 'training', call: 'trainer.fit(' },
  { kind: 'verification', call: 'sf.show.verification(' },
  { kind: 'projection', call: 'sf.show.projection(' },
  { kind: 'aggregation', call: 'sf.show.heatmap(' },
] as const;

/** Run All took 45-50 s on two cores; this leaves room for slower machines. */
const RUN_ALL_TIMEOUT_MS = 6 * 60_000;
/** How long a plot may take to draw after its cell is scrolled into view. */
const DRAW_TIMEOUT_MS = 60_000;

const TOOLBAR = '.notebookOverlay .notebook-toolbar-container';

interface NotebookJson {
  cells: {
    cell_type: string;
    source: string | string[];
    execution_count?: number | null;
    outputs?: { output_type: string; data?: Record<string, unknown> }[];
  }[];
}

function readNotebook(file: string): NotebookJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Reads until `done` holds or the time is up; returns the last reading. */
async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await delay(intervalMs);
  }
}

/** One line per cell for failure messages, e.g. "cell 2 [1] success". */
function describeCells(indices: number[], cells: Map<number, CellRow>) {
  return indices
    .map((index) => {
      const row = cells.get(index);
      if (row === undefined) return `cell ${index} never shown`;
      return `cell ${index} ${row.count || '(no count)'} ${row.state || '(no state)'}`;
    })
    .join('\n');
}

/** What the output webview shows of one payload kind's views. */
interface ViewState {
  /** `.subface-view.subface-<kind>` elements. */
  views: number;
  /** Plot areas in those views. */
  plots: number;
  /** Plot areas that plotly has finished drawing into (an SVG is there). */
  drawn: number;
  /** Text of the renderer's error boxes in all output frames. */
  errors: string[];
}

async function viewState(page: Page, kind: string): Promise<ViewState> {
  const state: ViewState = { views: 0, plots: 0, drawn: 0, errors: [] };
  for (const frame of outputFrames(page)) {
    const found = await frame
      .locator('body')
      .evaluate((body, kind) => {
        const views = [
          ...body.querySelectorAll(`.subface-view.subface-${kind}`),
        ];
        const plots = views.flatMap((view) => [
          ...view.querySelectorAll('.subface-plot'),
        ]);
        // media/src/plotly.ts counts finished draws in data-draws and sets
        // data-drawing while plotly draws.
        const drawn = plots.filter(
          (plot) =>
            Number(plot.getAttribute('data-draws') ?? 0) > 0 &&
            !plot.hasAttribute('data-drawing') &&
            plot.classList.contains('js-plotly-plot') &&
            plot.querySelector('.main-svg') !== null,
        );
        const errors = [...body.querySelectorAll('.subface-error')].map(
          (box) => box.textContent ?? '',
        );
        return {
          views: views.length,
          plots: plots.length,
          drawn: drawn.length,
          errors,
        };
      }, kind)
      .catch(() => null);
    if (found === null) continue;
    state.views += found.views;
    state.plots += found.plots;
    state.drawn += found.drawn;
    state.errors.push(...found.errors);
  }
  return state;
}

/** The toolbar shows "Interrupt" while the notebook runs. */
function notebookRunning(page: Page): Promise<boolean> {
  return page
    .locator(`${TOOLBAR} a[aria-label^="Interrupt"]`)
    .count()
    .then((n) => n > 0);
}

/** The rendered cells whose run has not ended yet. */
async function cellsInFlight(page: Page): Promise<CellRow[]> {
  const rows = await renderedCells(page);
  return rows.filter((r) => r.state === 'executing' || r.state === 'pending');
}

/** Saves the active editor with "File: Save" (not "Save All", "Save As"). */
async function saveActiveEditor(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 20_000 });
  await input.fill('>File: Save');
  await page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({
      has: page.locator('.label-name', { hasText: /^File: Save$/ }),
    })
    .first()
    .click({ timeout: 20_000 });
}

/** The path of a file URI as the workbench writes it (data-uri). */
function uriPath(uri: string): string {
  return decodeURIComponent(new URL(uri).pathname);
}

/** Keeps the logs of the run beside the screenshots. */
function keepLogs(profile: Profile, lines: string[]): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'ui-console.log'), lines.join('\n'));
  if (fs.existsSync(profile.serverLog)) {
    fs.copyFileSync(
      profile.serverLog,
      path.join(ARTIFACTS, 'ui-code-server.log'),
    );
  }
  // The extension host's own log, and the extension's output channels.
  const logs = path.join(profile.userData, 'logs');
  if (!fs.existsSync(logs)) return;
  const files = fs.readdirSync(logs, { recursive: true, encoding: 'utf8' });
  for (const file of files) {
    const name = path.basename(file);
    if (name === 'remoteexthost.log' || /subface/i.test(name)) {
      const kept = `ui-${name.replace(/[^\w.-]+/g, '_')}`;
      fs.copyFileSync(path.join(logs, file), path.join(ARTIFACTS, kept));
    }
  }
}

const skip = vscodeSkipReason();

describe(
  'the packaged extension in the VS Code UI',
  { skip: skip ?? false },
  () => {
    const start = Date.now();
    const log = (line: string) => console.log(`[${since(start)}] ${line}`);
    const shipped = readNotebook(SHIPPED);
    const shippedHash = sha256(SHIPPED);
    const cellCount = shipped.cells.length;
    const codeCells = shipped.cells
      .map((cell, index) => (cell.cell_type === 'code' ? index : -1))
      .filter((index) => index >= 0);
    const cellOf = (call: string) =>
      shipped.cells.findIndex(
        (cell) =>
          cell.cell_type === 'code' &&
          [cell.source].flat().join('').includes(call),
      );

    let root = '';
    let vsix = '';
    let profile: Profile | undefined;
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let workspace = '';
    let copy = '';
    let installedNotebook = '';
    let notebookOpen = false;
    let ranAll = false;

    const page = (): Page => {
      assert.ok(workbench, 'the workbench did not open');
      return workbench.page;
    };
    const notebookPage = (): Page => {
      assert.ok(notebookOpen, 'the tutorial notebook did not open');
      return page();
    };
    const shot = async (name: string) => {
      const file = await screenshot(page(), ARTIFACTS, `ui-${name}`);
      log(`screenshot ${path.relative(REPO_ROOT, file)}`);
    };

    before(() => {
      // Screenshots of an earlier run must not pass for this run's.
      if (fs.existsSync(ARTIFACTS)) {
        for (const name of fs.readdirSync(ARTIFACTS)) {
          if (name.startsWith('ui-')) fs.rmSync(path.join(ARTIFACTS, name));
        }
      }
      root = runFolder('ui');
    });

    after(async () => {
      let lines: string[] = [];
      if (workbench !== undefined) {
        await shot('9-end').catch(() => undefined);
        lines = workbench.console;
        await workbench.close().catch(() => undefined);
      }
      await server?.stop();
      if (profile !== undefined) keepLogs(profile, lines);
      if (root !== '') fs.rmSync(root, { recursive: true, force: true });
      log('done');
    });

    it(
      'packages the extension as a linux-x64 VSIX',
      { timeout: 4 * 60_000 },
      () => {
        const out = path.join(root, 'vsix');
        const run = spawnSync(process.execPath, [PACKAGER, '--out', out], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        });
        const printed = `${run.stdout ?? ''}${run.stderr ?? ''}`;
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        fs.writeFileSync(path.join(ARTIFACTS, 'ui-vsix.log'), printed);
        assert.equal(run.status, 0, printed.slice(-3000));
        const name = fs.readdirSync(out).find((n) => n.endsWith('.vsix'));
        assert.ok(name, `no VSIX in ${out}:\n${printed.slice(-3000)}`);
        vsix = path.join(out, name);
        const bytes = fs.statSync(vsix).size;
        log(`VSIX ${name}: ${(bytes / 1e6).toFixed(1)} MB (${bytes} bytes)`);
      },
    );

    it('installs the VSIX into a fresh code-server profile', () => {
      assert.ok(vsix, 'no VSIX was built');
      profile = createProfile(root);
      installVsix(profile, vsix);
      const dir = installedExtensionDir(profile, EXTENSION_ID);
      installedNotebook = path.join(dir, 'notebooks', TUTORIAL);
      assert.ok(
        fs.existsSync(installedNotebook),
        `${installedNotebook} missing`,
      );
      assert.equal(sha256(installedNotebook), shippedHash);
      log(`installed ${path.basename(dir)}`);
    });

    it('opens the workbench on an empty workspace folder', async () => {
      assert.ok(profile, 'the VSIX was not installed');
      workspace = path.join(root, 'workspace');
      fs.mkdirSync(workspace);
      // The server's temp folder is in the run folder: stopping the server
      // ends the extension host without deactivating the extension, so the
      // kernel's connection folder would otherwise stay in the system's.
      const tmp = path.join(root, 'tmp');
      fs.mkdirSync(tmp);
      server = await startCodeServer(profile, { TMPDIR: tmp });
      log(`code-server on port ${server.port}`);
      workbench = await openWorkbench(server.url(workspace), root, profile.env);
      await waitForWorkbench(workbench.page);
      // Installed from the VSIX: not an extension under development.
      assert.doesNotMatch(
        await workbench.page.title(),
        /Extension Development Host/,
      );
      assert.deepEqual(fs.readdirSync(workspace), []);
      log('workbench loaded');
    });

    it('copies the quickstart into the workspace with "SubFace: Open Tutorial..." and opens it', async () => {
      const p = page();
      await runCommandWhenListed(p, 'SubFace: Open Tutorial...');
      // The quick pick lists each tutorial by title, with its file name.
      await pickRow(p, TUTORIAL);
      // With one workspace folder, the command copies there without asking.
      await p.waitForSelector('.notebookOverlay .code-cell-row', {
        timeout: 60_000,
      });
      copy = path.join(workspace, TUTORIAL);
      assert.deepEqual(fs.readdirSync(workspace), [TUTORIAL]);
      assert.equal(sha256(copy), shippedHash, 'the copy differs');
      // The editor shows the copy: its cell editors name the workspace file.
      const uris = await p
        .locator('.notebookOverlay .monaco-editor[data-uri]')
        .evaluateAll((editors) =>
          editors.map((e) => e.getAttribute('data-uri') ?? ''),
        );
      assert.ok(uris.length > 0, 'no cell editor in the notebook editor');
      for (const uri of uris) assert.equal(uriPath(uri), copy, uri);
      notebookOpen = true;
      log(`notebook editor shows ${copy}`);
    });

    it('shows no outputs before Run All', async () => {
      const p = notebookPage();
      // Every cell once in view: the webview renders the outputs of the
      // cells it shows, and each code cell shows its execution count.
      const cells = await walkNotebook(p, cellCount);
      const ran = codeCells.filter((index) => {
        const row = cells.get(index);
        return row === undefined || /\d/.test(row.count) || row.state !== '';
      });
      assert.deepEqual(ran, [], describeCells(codeCells, cells));
      assert.equal(await countInOutputs(p, '.output'), 0, 'outputs shown');
      assert.equal(await countInOutputs(p, '.subface-view'), 0);
      const clear = p.locator(
        `${TOOLBAR} li.action-item:has(a[aria-label^="Clear All Outputs"])`,
      );
      assert.match(
        (await clear.first().getAttribute('class')) ?? '',
        /\bdisabled\b/,
        '"Clear All Outputs" is enabled: the notebook has outputs',
      );
      await runCommand(p, 'Notebook: Focus First Cell');
      await shot('1-before-run');
    });

    it('selects the SubFace (TypeScript) controller for the notebook', async () => {
      const p = notebookPage();
      // The controller is preferred for the notebook's kernelspec; the
      // label reads "Detecting Kernels" or "Select Kernel" until then.
      const label = p.locator(`${TOOLBAR} .kernel-label`).first();
      const text = await poll(
        () => label.textContent().then((t) => (t ?? '').trim()),
        (t) => t === CONTROLLER_LABEL,
        30_000,
      );
      assert.equal(text, CONTROLLER_LABEL);
    });

    it(
      'runs every code cell with "Notebook: Run All"',
      { timeout: RUN_ALL_TIMEOUT_MS + 2 * 60_000 },
      async () => {
        const p = notebookPage();
        const t0 = Date.now();
        await runCommand(p, 'Notebook: Run All');
        const started = await poll(
          async () =>
            (await notebookRunning(p)) ||
            (await renderedCells(p)).some((r) => r.state !== ''),
          (yes) => yes,
          60_000,
        );
        assert.ok(started, 'Run All did not start any cell within 60 s');
        log('Run All started');

        let lastReport = Date.now();
        const ended = await poll(
          async () => {
            const running = await notebookRunning(p);
            const inFlight = await cellsInFlight(p);
            if (Date.now() - lastReport > 15_000) {
              lastReport = Date.now();
              const shown = (await renderedCells(p))
                .filter((r) => r.code)
                .map((r) => `${r.index}:${r.count}${r.state}`);
              log(`Run All ${since(t0)}: ${shown.join(' ')}`);
            }
            return !running && inFlight.length === 0;
          },
          (done) => done,
          RUN_ALL_TIMEOUT_MS,
          1000,
        );
        assert.ok(ended, `Run All did not end in ${RUN_ALL_TIMEOUT_MS} ms`);
        log(`Run All ended after ${since(t0)}`);

        const cells = await walkNotebook(p, cellCount);
        // The webview draws the outputs of the cells just walked past a
        // moment later; the screenshot waits for the plots (briefly).
        await poll(
          () => countInOutputs(p, '.subface-view'),
          (views) => views >= OUTPUTS.length,
          15_000,
        );
        await shot('2-after-run');
        const report = describeCells(codeCells, cells);
        const failed = codeCells.filter(
          (index) => cells.get(index)?.state !== 'success',
        );
        assert.deepEqual(failed, [], `cells not successful:\n${report}`);
        assert.deepEqual(
          codeCells.map((index) => cells.get(index)?.count),
          codeCells.map((_, n) => `[${n + 1}]`),
          report,
        );
        ranAll = true;
      },
    );

    for (const { kind, call } of OUTPUTS) {
      it(`draws the ${kind} output with plotly`, async () => {
        const p = notebookPage();
        assert.ok(ranAll, 'the notebook did not run');
        const index = cellOf(call);
        assert.ok(index >= 0, `no cell of ${TUTORIAL} calls ${call}`);
        await focusCell(p, index);
        const state = await poll(
          () => viewState(p, kind),
          (s) => s.errors.length > 0 || (s.plots > 0 && s.drawn === s.plots),
          DRAW_TIMEOUT_MS,
        );
        await shot(`3-${kind}`);
        assert.deepEqual(state.errors, [], 'the renderer showed an error box');
        assert.equal(state.views, 1, `.subface-${kind} views`);
        assert.ok(state.plots > 0, `no plot area in the ${kind} view`);
        assert.equal(state.drawn, state.plots, 'plots plotly has not drawn');
      });
    }

    it('leaves the shipped notebook alone and ran the workspace copy', async () => {
      const p = notebookPage();
      assert.ok(ranAll, 'the notebook did not run');
      // The run changed nothing in the installed extension's folder.
      assert.equal(sha256(installedNotebook), shippedHash);
      // Saving writes what ran into the workspace copy (auto save is off,
      // so until now the copy on disk was the shipped notebook).
      assert.equal(sha256(copy), shippedHash, 'the copy was saved too early');
      await saveActiveEditor(p);
      const saved = await poll(
        async () => (sha256(copy) === shippedHash ? null : readNotebook(copy)),
        (notebook) => notebook !== null,
        20_000,
      );
      assert.ok(saved, 'saving the notebook did not write the workspace copy');
      const counts = codeCells.map((i) => saved.cells[i].execution_count);
      assert.deepEqual(
        counts,
        codeCells.map((_, n) => n + 1),
      );
      const mimes = new Set(
        saved.cells.flatMap((cell) =>
          (cell.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {})),
        ),
      );
      for (const { kind } of OUTPUTS) {
        const mime = `application/vnd.subface.${kind}+json`;
        assert.ok(mimes.has(mime), `${mime} not in the saved outputs`);
      }
      assert.equal(sha256(installedNotebook), shippedHash);
      log(`saved ${copy}: execution counts ${counts.join(', ')}`);
    });
  },
);
