/**
 * The extension-host suite in a real VS Code (code-server 4.100.3): the
 * extension is loaded from this repository as an extension under
 * development, and test/e2e/suite/ runs inside VS Code's extension host
 * with the whole `vscode` API (commands, the SubFace controller on a
 * real kernel, renderer messages from the output webview). Every step
 * of the suite is reported here as its own test.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { REPO_ROOT } from '../helpers/paths';
import {
  CodeServer,
  createProfile,
  delay,
  Profile,
  startCodeServer,
} from './code_server';
import {
  ARTIFACTS,
  runFolder,
  since,
  SUITE_ENTRY,
  vscodeSkipReason,
} from './environment';
import { openWorkbench, screenshot, Workbench } from './workbench';

interface StepResult {
  name: string;
  ok?: boolean;
  skip?: string;
  ms?: number;
  error?: string;
}

/** The longest the suite may run inside VS Code. */
const SUITE_TIMEOUT_MS = 8 * 60_000;
/** How long VS Code may take to report the end after the suite's last step. */
const EXIT_REPORT_MS = 45_000;
const POLL_MS = 1000;

interface SuiteEnd {
  done: boolean;
  results: StepResult[];
  /** What VS Code reported through codeAutomationExit; null if nothing. */
  exitCode: number | null;
}

function readResults(file: string): { done: boolean; results: StepResult[] } {
  if (!fs.existsSync(file)) return { done: false, results: [] };
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // Caught between the write's truncate and its data: read it next time.
    return { done: false, results: [] };
  }
}

/**
 * Waits for the suite's last step (its results file says `done`) and then
 * for VS Code's exit report. VS Code does not always report a failed run,
 * so the results file, not the report, says when to stop waiting.
 */
async function waitForSuite(
  file: string,
  exitReport: Promise<number>,
): Promise<SuiteEnd> {
  let exitCode: number | null = null;
  void exitReport.then((code) => (exitCode = code));
  const deadline = Date.now() + SUITE_TIMEOUT_MS;
  let state = readResults(file);
  while (!state.done && exitCode === null && Date.now() < deadline) {
    await delay(POLL_MS);
    state = readResults(file);
  }
  const reportBy = Date.now() + EXIT_REPORT_MS;
  while (exitCode === null && Date.now() < reportBy) await delay(POLL_MS);
  return { ...readResults(file), exitCode };
}

const skip = vscodeSkipReason();

/**
 * One run of the suite in a fresh code-server. `untrusted`: workspace
 * trust is on, so the folder opens in restricted mode, and the suite runs
 * its restricted-mode steps.
 */
function suiteRun(title: string, name: string, untrusted: boolean): void {
  describe(title, { skip: skip ?? false }, () => {
    const start = Date.now();
    let root = '';
    let profile: Profile;
    let server: CodeServer | undefined;
    let workbench: Workbench | undefined;
    let exitCode: number | null = null;
    let suiteDone = false;
    let results: StepResult[] = [];

    before(async () => {
      root = runFolder(name);
      profile = createProfile(root, untrusted);
      const workspace = path.join(root, 'workspace');
      fs.mkdirSync(workspace);
      const resultsFile = path.join(root, 'results.json');
      server = await startCodeServer(profile, {
        SUBFACE_E2E_RESULTS: resultsFile,
        SUBFACE_E2E_UNTRUSTED: untrusted ? '1' : '0',
      });
      console.log(`[${since(start)}] code-server on port ${server.port}`);

      const url = server.url(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', server.remoteUri(SUITE_ENTRY)],
      ]);
      workbench = await openWorkbench(url, root, profile.env);
      const ended = await waitForSuite(resultsFile, workbench.exitCode);
      exitCode = ended.exitCode;
      results = ended.results;
      suiteDone = ended.done;
      console.log(
        `[${since(start)}] suite ${suiteDone ? 'finished' : 'did not finish'}; ` +
          `VS Code reported ${exitCode === null ? 'no exit code' : `exit ${exitCode}`}`,
      );
    });

    after(async () => {
      if (workbench !== undefined) {
        await screenshot(workbench.page, ARTIFACTS, `${name}-end`).catch(
          () => undefined,
        );
        const log = workbench.console.filter((l) => /subface|error/i.test(l));
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        fs.writeFileSync(
          path.join(ARTIFACTS, `${name}-console.log`),
          log.join('\n'),
        );
        await workbench.close();
      }
      await server?.stop();
      if (fs.existsSync(profile?.serverLog ?? '')) {
        fs.copyFileSync(
          profile.serverLog,
          path.join(ARTIFACTS, `${name}-code-server.log`),
        );
      }
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('runs the whole suite inside VS Code', () => {
      assert.ok(results.length > 0, 'the suite reported no step');
      assert.ok(suiteDone, 'the suite did not run to its end');
      const failed = results.filter((r) => r.ok === false);
      const detail = failed.map((r) => `${r.name}:\n${r.error}`).join('\n\n');
      assert.equal(failed.length, 0, detail);
      // VS Code reports the end of a passing run 12-20 s after it; a
      // missing report is a fault of the run as well.
      assert.equal(exitCode, 0, 'VS Code did not report a passed run');
    });

    it('reports each step of the suite', async (t) => {
      for (const result of results) {
        if (result.skip !== undefined) {
          await t.test(result.name, { skip: result.skip }, () => undefined);
          continue;
        }
        await t.test(result.name, () => {
          assert.ok(result.ok, result.error);
        });
      }
    });
  });
}

suiteRun('the extension in VS Code (extension host)', 'extension-host', false);
suiteRun('the extension in an untrusted workspace', 'untrusted', true);
