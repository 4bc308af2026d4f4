/**
 * Drives the renderer harness page (test/renderers/harness/) in Debian's
 * Chromium through playwright-core. The page is served from the
 * repository under a made-up origin by request interception, so its
 * Content Security Policy's 'self' covers exactly the files served here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { after, before, it } from 'node:test';

import { Browser, chromium, Page } from 'playwright-core';

import { REPO_ROOT } from '../helpers/paths';
import { call } from './harness_api';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ORIGIN = 'http://subface.test';
export const ARTIFACTS = path.join(
  REPO_ROOT,
  'out',
  'test-artifacts',
  'renderers',
);
export const RENDERER_BUNDLE = path.join(REPO_ROOT, 'out/media/renderer.js');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/renderers');

/** Folders the page may load from, under their URL paths. */
const SERVED = [
  '/out/media/',
  '/test/renderers/harness/',
  '/node_modules/plotly.js-dist-min/',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
};

/** Why the browser tests cannot run here, or false when they can. */
export function skipReason(): string | false {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  }
  return false;
}

const SKIP = skipReason();

/**
 * A browser test: reported as skipped, with the reason, where Chromium
 * is missing (never as passed).
 */
export function browserIt(name: string, test: () => Promise<void>) {
  return it(name, { skip: SKIP }, test);
}

/** Fails with the command to run when the bundles are not built. */
function requireBundle(): void {
  if (!fs.existsSync(RENDERER_BUNDLE)) {
    throw new Error(
      `renderer tests: ${path.relative(REPO_ROOT, RENDERER_BUNDLE)} must ` +
        'exist, but it is missing: run `node media/build.mjs`',
    );
  }
}

/**
 * Headless Chromium with WebGL on SwiftShader (software), which the
 * scattergl and scatter3d traces need.
 */
export function launch(): Promise<Browser> {
  requireBundle();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/** A served file's body, or null for paths outside SERVED. */
function servedFile(urlPath: string): Buffer | null {
  if (!SERVED.some((prefix) => urlPath.startsWith(prefix))) return null;
  const file = path.join(REPO_ROOT, path.normalize(urlPath));
  if (!file.startsWith(REPO_ROOT) || !fs.existsSync(file)) return null;
  return fs.readFileSync(file);
}

/**
 * Opens a harness page (`page.html` by default) in a fresh page of
 * `browser`, with the body class `theme`, and waits until it is ready.
 */
export async function openHarness(
  browser: Browser,
  file = 'page.html',
  theme = 'vscode-light',
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1100, height: 900 },
  });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.route(`${ORIGIN}/**`, (route) => {
    const urlPath = new URL(route.request().url()).pathname;
    const body = servedFile(urlPath);
    if (body === null) return route.fulfill({ status: 404, body: '' });
    const contentType = CONTENT_TYPES[path.extname(urlPath)] ?? 'text/plain';
    return route.fulfill({ status: 200, body, contentType });
  });
  await page.goto(`${ORIGIN}/test/renderers/harness/${file}`);
  // Functions, not strings: a string would be eval'd, which the CSP blocks.
  await page.waitForFunction(
    () => (globalThis as { harnessReady?: boolean }).harnessReady === true,
    null,
    { timeout: 60000 },
  );
  await call(page, 'setTheme', theme);
  return page;
}

/** A committed fixture payload, as text (what outputItem.text() gives). */
export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
}

export function fixture<T>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Saves a screenshot of one output (or the page) as a test artifact. */
export async function screenshot(
  page: Page,
  name: string,
  outputId?: string,
): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  const target = outputId === undefined ? page : page.locator(`#${outputId}`);
  await target.screenshot({ path: file });
  return file;
}

/**
 * One browser and one harness page for the tests of a describe block:
 * opened before the first test, closed after the last.
 */
export function useHarness(
  file = 'page.html',
  theme = 'vscode-light',
): () => Page {
  let browser: Browser | null = null;
  let page: Page | null = null;
  before(async () => {
    if (SKIP !== false) return;
    browser = await launch();
    page = await openHarness(browser, file, theme);
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (page === null) throw new Error('the harness page is not open');
    return page;
  };
}
