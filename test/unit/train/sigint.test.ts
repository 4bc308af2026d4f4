import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { loadCheckpoint, readLastGood } from '../../../kernels/subface/train';
import { removeFolder, tempFolder } from './helpers';
import { SIGINT_AFTER_STEP } from './sigint_child';

/** Generous: the child loads tfjs and wasm, then trains a few steps. */
const CHILD_TIMEOUT_MS = 60_000;

describe('SIGINT', () => {
  it('ends a run at a step boundary, checkpointed, exit 0', async () => {
    const runDir = path.join(tempFolder('sigint'), 'run');
    const child = spawnSync(
      process.execPath,
      [path.join(__dirname, 'sigint_child.js')],
      {
        env: { ...process.env, SUBFACE_SIGINT_CHILD: runDir },
        encoding: 'utf8',
        timeout: CHILD_TIMEOUT_MS,
      },
    );
    assert.equal(child.status, 0, child.stderr);
    const events = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const end = events[events.length - 1];
    assert.deepEqual(end, {
      event: 'end',
      reason: 'stopped',
      step: SIGINT_AFTER_STEP,
      finite: true,
    });
    const checkpoints = events.filter((e) => e.event === 'checkpoint');
    assert.deepEqual(
      checkpoints.map((e) => [e.reason, e.step]),
      [['stop', SIGINT_AFTER_STEP]],
    );
    assert.equal((await readLastGood(runDir))?.step, SIGINT_AFTER_STEP);
    await loadCheckpoint(checkpoints[0].path);
    assert.ok(fs.existsSync(checkpoints[0].path));
    removeFolder(path.dirname(runDir));
  });
});
