// Steps of the extension-host suite that run the smoke notebook on the
// SubFace controller (a real kernel, real renderers in the webview).
const assert = require('node:assert/strict');

const { CELL, TRAINING_MIME } = require('./smoke_notebook');
const u = require('./util');

const KERNEL = { id: 'subface-kernel', extension: 'subface.subface' };

/** Runs one cell and returns it once its execution has ended. */
async function run(c, index) {
  await u.within(120000, `cell ${index}`, u.runCells(c.vscode, c.doc, index));
  return c.doc.cellAt(index);
}

/** Starts the endless cell and interrupts it until it stops. */
async function interruptEndless(c) {
  const kernel = () => c.api.kernelOf(c.doc);
  const running = u.runCells(c.vscode, c.doc, CELL.endless);
  await u.until('the endless cell runs', () => kernel()?.state === 'busy');
  let finished = false;
  running.then(() => (finished = true));
  for (let attempt = 0; attempt < 10 && !finished; attempt++) {
    // The first SIGINT can come while the cell is still compiling.
    await u.sleep(1500);
    await c.vscode.commands.executeCommand(
      'notebook.cancelExecution',
      c.doc.uri,
    );
    await Promise.race([running, u.sleep(3000)]);
  }
  await u.within(5000, 'interrupted cell ends', running);
  return c.doc.cellAt(CELL.endless);
}

const notebookSteps = [
  {
    name: 'runs cells with counts, timing and stdout/stderr streams',
    async run(c) {
      await c.vscode.commands.executeCommand('vscode.open', c.smoke);
      c.editor = await u.until('the smoke notebook is in the editor', () => {
        const editor = c.vscode.window.activeNotebookEditor;
        const uri = editor?.notebook.uri.toString();
        return uri === c.smoke.toString() ? editor : null;
      });
      c.doc = c.editor.notebook;
      const selected = await c.vscode.commands.executeCommand(
        'notebook.selectKernel',
        {
          notebookEditor: c.editor,
          ...KERNEL,
        },
      );
      assert.equal(selected, true);
      const cell = await run(c, CELL.streams);
      const summary = cell.executionSummary;
      assert.equal(summary.success, true);
      assert.equal(summary.executionOrder, 1);
      assert.ok(summary.timing.endTime >= summary.timing.startTime);
      assert.match(u.textOf(cell, u.STDOUT), /hello from subface/);
      assert.match(u.textOf(cell, u.STDERR), /a warning/);
      // The kernel's first output names the tfjs backend it runs.
      assert.match(u.textOf(cell, 'text/plain'), /^SubFace runtime: /);
    },
  },
  {
    name: 'shows display_data with the SubFace MIME type, drawn by the renderer',
    timeoutMs: 180000,
    async run(c) {
      const cell = await run(c, CELL.display);
      assert.equal(cell.executionSummary.success, true);
      assert.equal(cell.executionSummary.executionOrder, 2);
      const mimes = u.itemsOf(cell).map((item) => item.mime);
      assert.ok(mimes.includes(TRAINING_MIME), mimes.join());
      assert.ok(mimes.includes('text/plain'), mimes.join());
      const drawn = await c.api.waitForRendered(
        (m) => m.mime === TRAINING_MIME,
        150000,
      );
      assert.equal(drawn.ok, true, drawn.failure);
      assert.equal(drawn.notebook, c.doc.uri.toString());
    },
  },
  {
    name: 'replaces an updated display in place',
    async run(c) {
      const cell = await run(c, CELL.update);
      assert.equal(cell.outputs.length, 1);
      assert.equal(u.textOf(cell, 'text/plain'), 'second');
    },
  },
  {
    name: 'turns a thrown error into an error output with name and message',
    async run(c) {
      const cell = await run(c, CELL.thrown);
      assert.equal(cell.executionSummary.success, false);
      const error = u.errorOf(cell);
      assert.equal(error.name, 'RangeError');
      assert.equal(error.message, 'out of range: 42');
    },
  },
  {
    name: 'turns a type error into an error output',
    async run(c) {
      const cell = await run(c, CELL.typeError);
      assert.equal(cell.executionSummary.success, false);
      const error = u.errorOf(cell);
      assert.equal(error.name, 'TSError');
      assert.match(error.message, /not assignable to type 'number'/);
    },
  },
  {
    name: 'interrupts a running cell, again, and then runs the next cell',
    timeoutMs: 120000,
    async run(c) {
      for (let round = 0; round < 2; round++) {
        const cell = await interruptEndless(c);
        assert.equal(cell.executionSummary.success, false);
        assert.match(JSON.stringify(u.errorOf(cell)), /interrupt/i);
      }
      const next = await run(c, CELL.afterInterrupt);
      assert.equal(next.executionSummary.success, true);
      assert.match(u.textOf(next, u.STDOUT), /after interrupt/);
    },
  },
  {
    name: 'Show Runtime shows the banner of the running kernel',
    async run(c) {
      const report = await c.vscode.commands.executeCommand(
        'subface.showRuntime',
      );
      assert.match(report.banner, /^SubFace runtime: \w+ \(/);
      assert.ok(report.backend && report.backend !== 'none', report.banner);
    },
  },
  {
    name: 'restarts the kernel: new process, counts from 1, state gone',
    timeoutMs: 180000,
    async run(c) {
      const before = c.api.kernelOf(c.doc).pid;
      await c.vscode.commands.executeCommand(
        'subface.restartKernel',
        c.doc.uri,
      );
      const after = c.api.kernelOf(c.doc).pid;
      assert.ok(after && after !== before, `pid ${before} -> ${after}`);
      await u.until('the old kernel exits', () => u.processGone(before), 10000);
      const cell = await run(c, CELL.afterRestart);
      assert.equal(cell.executionSummary.executionOrder, 1);
      assert.equal(u.textOf(cell, u.STDOUT).trim(), 'undefined');
    },
  },
  {
    name: 'shuts the kernel down when the notebook closes',
    async run(c) {
      const pid = c.api.kernelOf(c.doc).pid;
      await c.vscode.window.showNotebookDocument(c.doc);
      // Closing saves a dirty notebook in test runs: revert first.
      await c.vscode.commands.executeCommand('workbench.action.files.revert');
      await c.vscode.commands.executeCommand(
        'workbench.action.closeAllEditors',
      );
      await u.until('the kernel exits', () => u.processGone(pid), 30000);
    },
  },
];

module.exports = { notebookSteps };
