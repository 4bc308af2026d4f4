// Helpers of the extension-host suite (runs inside VS Code; plain
// CommonJS because `vscode` exists only there).
const assert = require('node:assert/strict');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value; fails after `ms`. */
async function until(what, check, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await sleep(100);
  }
}

/** Rejects when `promise` takes longer than `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs cells of the notebook through VS Code's own command. */
function runCells(vscode, notebook, start, end = start + 1) {
  return vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: [{ start, end }],
    document: notebook.uri,
  });
}

/** Every output item of a cell as {mime, text}. */
function itemsOf(cell) {
  return cell.outputs.flatMap((output) =>
    output.items.map((item) => ({
      mime: item.mime,
      text: Buffer.from(item.data).toString('utf8'),
    })),
  );
}

function textOf(cell, mime) {
  return itemsOf(cell)
    .filter((item) => item.mime === mime)
    .map((item) => item.text)
    .join('');
}

const STDOUT = 'application/vnd.code.notebook.stdout';
const STDERR = 'application/vnd.code.notebook.stderr';
const ERROR = 'application/vnd.code.notebook.error';

/** The error output of a cell, parsed ({name, message, stack}). */
function errorOf(cell) {
  const item = itemsOf(cell).find((i) => i.mime === ERROR);
  assert.ok(item, `cell ${cell.index} has an error output`);
  return JSON.parse(item.text);
}

/** True once process `pid` has ended. */
function processGone(pid) {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

module.exports = {
  ERROR,
  STDERR,
  STDOUT,
  errorOf,
  itemsOf,
  processGone,
  runCells,
  sleep,
  textOf,
  until,
  within,
};
