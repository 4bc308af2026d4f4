// Steps of the extension-host suite that check the commands.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const dns = require('node:dns/promises');
const fs = require('node:fs');
const path = require('node:path');

const COMMANDS = [
  'subface.openTutorial',
  'subface.installKernel',
  'subface.showRuntime',
  'subface.enableCuda',
  'subface.restartKernel',
];

const digest = (file) =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Null when the CUDA download would reach the internet, else a reason. */
async function offlineReason() {
  try {
    await dns.lookup('storage.googleapis.com');
    return 'the internet is reachable: Enable CUDA would really install';
  } catch {
    return null;
  }
}

const commandSteps = [
  {
    name: 'contributes the renderers and registers every command',
    async run({ vscode, extension }) {
      const contributes = extension.packageJSON.contributes;
      assert.equal(contributes.notebookRenderer[0].id, 'subface-renderers');
      assert.equal(contributes.notebookRenderer[0].mimeTypes.length, 4);
      const known = await vscode.commands.getCommands(true);
      for (const id of COMMANDS) assert.ok(known.includes(id), id);
    },
  },
  {
    name: 'Show Runtime names the Node that runs kernels',
    async run({ vscode }) {
      const report = await vscode.commands.executeCommand(
        'subface.showRuntime',
      );
      assert.equal(report.nodeProblem, null);
      assert.ok(path.isAbsolute(report.node), report.node);
      assert.ok(Number(report.nodeVersion.slice(1).split('.')[0]) >= 20);
      assert.equal(report.backendSetting, 'auto');
    },
  },
  {
    name: 'Install Jupyter Kernel writes a kernelspec into a prefix',
    async run({ vscode, extension, temp }) {
      const prefix = path.join(temp, 'jupyter-prefix');
      const installed = await vscode.commands.executeCommand(
        'subface.installKernel',
        { prefix },
      );
      const file = path.join(
        prefix,
        'share/jupyter/kernels/subface/kernel.json',
      );
      assert.equal(installed.dir, path.dirname(file));
      const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(spec.display_name, 'SubFace (TypeScript)');
      assert.ok(path.isAbsolute(spec.argv[0]));
      const launcher = path.join(
        extension.extensionPath,
        'out/kernels/tslab/launcher.js',
      );
      assert.equal(spec.argv[1], launcher);
    },
  },
  {
    name: 'Open Tutorial copies the quickstart and leaves the shipped file alone',
    async run({ vscode, extension, folder }) {
      const shipped = path.join(
        extension.extensionPath,
        'notebooks/01-quickstart.ipynb',
      );
      const before = digest(shipped);
      const args = { file: '01-quickstart.ipynb', folder };
      const first = await vscode.commands.executeCommand(
        'subface.openTutorial',
        args,
      );
      const second = await vscode.commands.executeCommand(
        'subface.openTutorial',
        args,
      );
      assert.equal(path.basename(first.fsPath), '01-quickstart.ipynb');
      assert.equal(path.basename(second.fsPath), '01-quickstart-2.ipynb');
      assert.equal(digest(first.fsPath), before);
      const opened = vscode.window.activeNotebookEditor.notebook;
      assert.equal(opened.uri.toString(), second.toString());
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.equal(digest(shipped), before);
    },
  },
  {
    name: 'Enable CUDA explains that it needs the internet and CUDA 11.2',
    skip: offlineReason,
    timeoutMs: 180000,
    async run({ vscode, temp }) {
      const config = vscode.workspace.getConfiguration('subface');
      const target = vscode.ConfigurationTarget.Global;
      const dir = path.join(temp, 'kernel-environment');
      await config.update('kernelEnvironment', dir, target);
      try {
        const result =
          await vscode.commands.executeCommand('subface.enableCuda');
        assert.equal(result.outcome, 'no-internet', result.message);
        assert.equal(result.dir, dir);
        assert.match(result.message, /no internet/);
        assert.match(result.message, /CUDA 11\.2 and cuDNN 8\.1/);
        const gpu = path.join(dir, 'node_modules/@tensorflow/tfjs-node-gpu');
        assert.ok(!fs.existsSync(gpu), 'no half-installed package is left');
      } finally {
        await config.update('kernelEnvironment', undefined, target);
      }
    },
  },
];

module.exports = { commandSteps };
