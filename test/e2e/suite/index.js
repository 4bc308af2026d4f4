// The extension-host suite: VS Code loads this file through
// extensionTestsPath and calls run() in its Node extension host, with the
// SubFace extension loaded from the repository (extensionDevelopmentPath).
// Each step's result goes to the JSON file named by SUBFACE_E2E_RESULTS
// (written after every step, with `done` set after the last), which test/e2e/extension_host.test.ts
// reports one by one. run() rejects when a step failed.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { commandSteps } = require('./commands');
const { notebookSteps } = require('./notebook');
const { smokeNotebook } = require('./smoke_notebook');
const { untrustedSteps } = require('./untrusted');
const { within } = require('./util');

const EXTENSION_ID = 'subface.subface';
const DEFAULT_STEP_MS = 90000;

async function createContext(vscode) {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const smoke = vscode.Uri.joinPath(folder, 'smoke.ipynb');
  const text = smokeNotebook(extension.extensionPath);
  fs.writeFileSync(smoke.fsPath, text);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-suite-'));
  // The notebook steps open `smoke` in an editor (c.doc): a document
  // opened through the API would stay open after its editor closes.
  return { vscode, extension, api, folder, smoke, smokeText: text, temp };
}

async function runStep(step, context) {
  const started = Date.now();
  const skip = step.skip ? await step.skip() : null;
  if (skip) return { name: step.name, skip };
  try {
    const ms = step.timeoutMs ?? DEFAULT_STEP_MS;
    await within(ms, step.name, step.run(context));
    return { name: step.name, ok: true, ms: Date.now() - started };
  } catch (error) {
    const text = error && error.stack ? error.stack : String(error);
    return {
      name: step.name,
      ok: false,
      ms: Date.now() - started,
      error: text,
    };
  }
}

exports.run = async function run() {
  const vscode = require('vscode');
  const resultsFile = process.env.SUBFACE_E2E_RESULTS;
  const results = [];
  let done = false;
  const save = () =>
    resultsFile &&
    fs.writeFileSync(resultsFile, JSON.stringify({ done, results }, null, 1));
  const context = await createContext(vscode);
  // SUBFACE_E2E_UNTRUSTED: the run opened the folder in restricted mode.
  const steps =
    process.env.SUBFACE_E2E_UNTRUSTED === '1'
      ? untrustedSteps
      : [...commandSteps, ...notebookSteps];
  for (const step of steps) {
    const result = await runStep(step, context);
    console.log(
      `[subface-suite] ${result.ok ? 'ok' : result.skip ? 'skip' : 'FAIL'} ${step.name} (${result.ms ?? 0} ms)`,
    );
    results.push(result);
    save();
  }
  const saved = fs.readFileSync(context.smoke.fsPath, 'utf8');
  results.push(
    saved === context.smokeText
      ? {
          name: 'leaves the notebook file unchanged (no outputs saved)',
          ok: true,
        }
      : {
          name: 'leaves the notebook file unchanged (no outputs saved)',
          ok: false,
          error: 'smoke.ipynb was rewritten',
        },
  );
  done = true;
  save();
  fs.rmSync(context.temp, { recursive: true, force: true });
  const failed = results.filter((r) => r.ok === false).map((r) => r.name);
  if (failed.length > 0) throw new Error(`failed: ${failed.join('; ')}`);
};
