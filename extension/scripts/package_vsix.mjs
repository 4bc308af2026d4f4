// Builds the platform-specific VSIX (linux-x64) from the built tree:
//
//   node extension/scripts/package_vsix.mjs [--out <dir>]   (default out/vsix)
//
// vsce refuses a package.json with a "files" list (npm's, for `npm
// pack`) next to a .vscodeignore, so it runs in a staging folder: a copy
// of package.json without "files", .vscodeignore and README.md, and
// links to out/, notebooks/, kernels/, extension/ and node_modules/.
// Prints the VSIX path, its size and what takes the most room in it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
const LINKED = ['out', 'notebooks', 'kernels', 'extension', 'node_modules'];
const COPIED = ['.vscodeignore', 'README.md'];
const TARGET = 'linux-x64';

function outDir(argv) {
  const at = argv.indexOf('--out');
  return path.resolve(at >= 0 ? argv[at + 1] : path.join(ROOT, 'out', 'vsix'));
}

function stage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-vsix-'));
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
  );
  delete manifest.files;
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  for (const name of COPIED) {
    fs.copyFileSync(path.join(ROOT, name), path.join(dir, name));
  }
  for (const name of LINKED) {
    fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
  }
  return { dir, manifest };
}

function vsce(cwd, vsix) {
  const cli = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = [
    cli,
    'package',
    '--target',
    TARGET,
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
    '--follow-symlinks',
    '--out',
    vsix,
  ];
  const run = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (run.status !== 0) {
    throw new Error(`vsce package failed (exit code ${run.status})`);
  }
}

/** Compressed bytes per top folder (two levels under node_modules). */
function largestParts(vsix) {
  const list = spawnSync('unzip', ['-v', vsix], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (list.status !== 0) return [];
  const sizes = new Map();
  for (const line of list.stdout.split('\n')) {
    const match = /^\s*\d+\s+\S+\s+(\d+)\s+.*\s(extension\/\S+)$/.exec(line);
    if (match === null) continue;
    const parts = match[2].split('/').slice(1);
    const depth =
      parts[0] === 'node_modules' ? (parts[1].startsWith('@') ? 3 : 2) : 2;
    const key = parts.slice(0, depth).join('/');
    sizes.set(key, (sizes.get(key) ?? 0) + Number(match[1]));
  }
  return [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 12);
}

const out = outDir(process.argv);
fs.mkdirSync(out, { recursive: true });
const { dir, manifest } = stage();
const vsix = path.join(
  out,
  `${manifest.name}-${TARGET}-${manifest.version}.vsix`,
);
try {
  vsce(dir, vsix);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
const bytes = fs.statSync(vsix).size;
console.log(`${vsix}: ${bytes} bytes`);
for (const [part, size] of largestParts(vsix)) {
  console.log(`  ${String(size).padStart(10)}  ${part}`);
}
