// Steps of the extension-host suite in an untrusted workspace (VS Code's
// restricted mode): the extension is active, but asking to run a cell on
// the SubFace controller starts no kernel. VS Code asks the user for trust
// before it executes notebook cells; whether that request or the
// controller's own check stops the run, the cell must not reach a kernel.
const assert = require('node:assert/strict');

const u = require('./util');

const KERNEL = { id: 'subface-kernel', extension: 'subface.subface' };
/** How long the run request gets before the test looks at what happened. */
const SETTLE_MS = 15000;

const untrustedSteps = [
  {
    name: 'runs in restricted mode with the extension active',
    async run({ vscode, extension }) {
      assert.equal(vscode.workspace.isTrusted, false);
      assert.equal(extension.isActive, true);
    },
  },
  {
    name: 'starts no kernel for a cell run in an untrusted workspace',
    timeoutMs: 60000,
    async run(c) {
      await c.vscode.commands.executeCommand('vscode.open', c.smoke);
      const editor = await u.until('the notebook is in the editor', () => {
        const active = c.vscode.window.activeNotebookEditor;
        return active?.notebook.uri.toString() === c.smoke.toString()
          ? active
          : null;
      });
      const doc = editor.notebook;
      await c.vscode.commands.executeCommand('notebook.selectKernel', {
        notebookEditor: editor,
        ...KERNEL,
      });
      // Not awaited: VS Code may hold the run while it asks for trust.
      void u.runCells(c.vscode, doc, 0);
      await u.sleep(SETTLE_MS);
      const kernel = c.api.kernelOf(doc);
      assert.ok(
        kernel === undefined || kernel.state === 'not started',
        `a kernel was asked for: ${kernel?.state}`,
      );
      const cell = doc.cellAt(0);
      const outputs = u.itemsOf(cell).map((item) => item.text);
      // Either nothing ran, or the controller refused with its reason.
      for (const text of outputs) {
        assert.match(text, /starts no kernel in an untrusted workspace/);
      }
      assert.notEqual(cell.executionSummary?.success, true);
      await c.vscode.commands.executeCommand('workbench.action.files.revert');
      await c.vscode.commands.executeCommand(
        'workbench.action.closeAllEditors',
      );
    },
  },
];

module.exports = { untrustedSteps };
