// Browser end-to-end test harness: serves dist/ under a sub-path and drives Debian Chromium
// through playwright-core. Run all e2e tests with `cargo xtask test` (it builds dist/ first),
// or, after `cargo xtask dist` and `npm ci` in tests/e2e:
//
//     node --test tests/e2e/*.test.mjs
//
// API (import from './harness.mjs'):
//
//   openApp(path = '', { waitForApp = true, viewport, hooked = false, initScript, colorScheme }) -> Promise<{ browser, context, page, url, errors, close }>
//       `colorScheme` ("light" | "dark") emulates prefers-color-scheme for the context.
//       Opens `<server>/eksplain/` + path (e.g. '', '#s=1.…', 'embed.html?x') in a fresh browser
//       context (own cookies, storage, cache) on a shared Chromium. With `waitForApp` it waits
//       until `[data-kind="app"]` is in the DOM. `errors` is a live array of strings: uncaught
//       page errors, console.error messages, failed requests and HTTP responses >= 400 —
//       assert `errors` is empty at the end of a test. `hooked` opens the build with the
//       `test-hooks` feature (HOOKED_DIST_DIR, served under /eksplain-hooked/) instead of
//       dist/. `initScript` (a function or source text) runs in the page before its own
//       scripts, e.g. `LONG_TASKS` below. `close()` closes the context; everything left open is closed after the test
//       file anyway.
//   screenshot(page, name) -> Promise<string>
//       Saves a full-page PNG to target/e2e/screenshots/<name> (".png" added when missing)
//       relative to the repository root; returns the absolute path.
//   startServer({ needDist = true }) -> Promise<{ origin, base }>
//       The static server (started on first use, on a free port of 127.0.0.1): `base` is the
//       app's URL, `${origin}/eksplain/`. Exposed for tests that need raw HTTP. It also
//       serves the sample book (BOOK_DIR) under /book/; with `needDist: false` it starts
//       without dist/.
//   openBook(path = '') -> Promise<{ browser, context, page, url, errors, close }>
//       Opens `<server>/book/` + path (e.g. 'external-traffic-policy.html') like openApp,
//       without waiting for the app; BOOK_DIR must hold a built book (`cargo xtask book`).
//   scenarioLink(scenario) -> string
//       The fragment `#s=1.…` of a share link carrying `scenario` (an object or JSON text),
//       written as src/scenario/link.rs reads it: zlib, then URL-safe base64 without padding.
//       Tests load scenarios the way a user does, by opening such a link: the release build
//       has no test hooks.
//   closeAll() -> Promise<void>
//       Closes every context, the browser and the server; registered with node:test's `after`
//       hook, so tests need not call it.
//   BASE_PATH = '/eksplain/', BOOK_BASE_PATH = '/book/', REPO_ROOT, DIST_DIR, BOOK_DIR, SCREENSHOT_DIR
//
// Select elements by the DOM contract (`[data-kind="vpc"]`, `[data-id="…"]`), never by CSS
// classes or position. Environment: EKSPLAIN_DIST (default <repo>/dist), EKSPLAIN_BOOK (the
// built sample book, default <repo>/target/book), CHROMIUM (default
// /usr/bin/chromium), CHROMIUM_ARGS (space-separated, default: the headless flags below),
// E2E_TIMEOUT_MS (default 30000, per wait).

import { after } from 'node:test';
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_DIR = resolve(process.env.EKSPLAIN_DIST || join(REPO_ROOT, 'dist'));
export const SCREENSHOT_DIR = join(REPO_ROOT, 'target', 'e2e', 'screenshots');
export const BASE_PATH = '/eksplain/';
// The same site built with the `test-hooks` feature (`window.eksplainPanic`, …), for the few
// tests that need a hook; `cargo xtask test` builds it into target/hooked-dist/.
export const HOOKED_DIST_DIR = resolve(process.env.EKSPLAIN_HOOKED_DIST || join(REPO_ROOT, 'target', 'hooked-dist'));
export const HOOKED_BASE_PATH = '/eksplain-hooked/';
// The sample book docs/book/ as `cargo xtask book` builds it (mdbook + mdbook-eksplain), served
// beside the app as a site would publish both: its "Open in eksplain" links go to ../eksplain/.
export const BOOK_DIR = resolve(process.env.EKSPLAIN_BOOK || join(REPO_ROOT, 'target', 'book'));
export const BOOK_BASE_PATH = '/book/';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = process.env.CHROMIUM_ARGS
  ? process.env.CHROMIUM_ARGS.split(/\s+/).filter(Boolean)
  : [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ];
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 30000);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
};

let serverPromise;
let browserPromise;
const contexts = new Set();

/** Starts (once) the static server for DIST_DIR under BASE_PATH (and BOOK_DIR under
 * BOOK_BASE_PATH); fails when dist/ is not built, unless `needDist` is false. */
export async function startServer({ needDist = true } = {}) {
  if (needDist && !(await stat(join(DIST_DIR, 'index.html')).catch(() => null))) {
    throw new Error(`${DIST_DIR}/index.html is missing: run \`cargo xtask dist\` first`);
  }
  serverPromise ??= (async () => {
    const server = createServer((req, res) => serveFile(req, res));
    await new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', ok);
    });
    const origin = `http://127.0.0.1:${server.address().port}`;
    return { server, origin, base: origin + BASE_PATH };
  })();
  return serverPromise.then(({ origin, base }) => ({ origin, base }));
}

/** A plain static file server, like a CDN serving dist/ at /eksplain/: no SPA fallback. */
async function serveFile(req, res) {
  const send = (status, body = '') => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    return send(400, 'bad request');
  }
  for (const base of [BASE_PATH, BOOK_BASE_PATH]) {
    if (pathname === base.slice(0, -1)) {
      res.writeHead(301, { location: base });
      return res.end();
    }
  }
  const [root, base] = pathname.startsWith(HOOKED_BASE_PATH)
    ? [HOOKED_DIST_DIR, HOOKED_BASE_PATH]
    : pathname.startsWith(BOOK_BASE_PATH)
      ? [BOOK_DIR, BOOK_BASE_PATH]
      : [DIST_DIR, BASE_PATH];
  if (!pathname.startsWith(base)) return send(404, `not found (the app lives under ${BASE_PATH})`);
  let file = resolve(root, '.' + pathname.slice(base.length - 1));
  if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(404, 'not found');
  res.writeHead(200, {
    'content-type': MIME[extname(file)] || 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
    // Like GitHub Pages and most CDNs: embed.html in <iframe sandbox="allow-scripts"> runs in
    // an opaque origin, and its module script and wasm are CORS requests (share.test.mjs).
    'access-control-allow-origin': '*',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

function launchBrowser() {
  browserPromise ??= chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: TIMEOUT,
  });
  return browserPromise;
}

/** Opens the sample book at BOOK_BASE_PATH + path in a fresh browser context. */
export async function openBook(path = '', { viewport = { width: 1280, height: 800 } } = {}) {
  if (!(await stat(join(BOOK_DIR, 'index.html')).catch(() => null))) {
    throw new Error(`${BOOK_DIR}/index.html is missing: run \`cargo xtask book\` first`);
  }
  const { origin } = await startServer({ needDist: false });
  return openIn(origin + BOOK_BASE_PATH, path, { waitForApp: false, viewport });
}

/** Opens the app at BASE_PATH + path in a fresh browser context. */
export async function openApp(path = '', { waitForApp = true, viewport = { width: 1280, height: 800 }, hooked = false, initScript, colorScheme } = {}) {
  const { origin, base: releaseBase } = await startServer();
  let base = releaseBase;
  if (hooked) {
    if (!(await stat(join(HOOKED_DIST_DIR, 'index.html')).catch(() => null))) {
      throw new Error(`${HOOKED_DIST_DIR}/index.html is missing: \`cargo xtask test\` builds it (trunk build --features test-hooks)`);
    }
    base = origin + HOOKED_BASE_PATH;
  }
  return openIn(base, path, { waitForApp, viewport, initScript, colorScheme });
}

/** Opens base + path in a fresh browser context, recording the page's errors. */
async function openIn(base, path, { waitForApp, viewport, initScript, colorScheme }) {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport, ...(colorScheme ? { colorScheme } : {}) });
  contexts.add(context);
  context.setDefaultTimeout(TIMEOUT);
  // Runs in every page of the context before the page's own scripts (e.g. an observer).
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => {
    if (failedForReal(req)) errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  const url = new URL(path.replace(/^\//, ''), base).href;
  const close = async () => {
    contexts.delete(context);
    await context.close().catch(() => {});
  };
  try {
    await page.goto(url, { waitUntil: 'load' });
    if (waitForApp) await page.waitForSelector('[data-kind="app"]', { state: 'attached' });
  } catch (err) {
    await close();
    const seen = errors.length ? `\nerrors seen on the page:\n  ${errors.join('\n  ')}` : '';
    throw new Error(`opening ${url} failed: ${err.message}${seen}`, { cause: err });
  }
  return { browser, context, page, url, errors, close };
}

/** Whether a failed request is a failure: not the browser's own favicon fetch, which a
 * navigation or reload soon after the page loads aborts (net::ERR_ABORTED). */
/**
 * A second page, in a fresh context of its own, on any `url` (a host page on another server):
 * `{ page, errors, close }`, its errors and its frames' collected as `openApp` collects them —
 * every failed request with `everyFailure`, else those `failedForReal` counts.
 */
export async function openPage(url, { everyFailure = false } = {}) {
  const { context, close } = await openApp();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
  page.on('requestfailed', (r) => (everyFailure || failedForReal(r)) && errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.goto(url);
  return { page, errors, close };
}

export function failedForReal(req) {
  const aborted = req.failure()?.errorText === 'net::ERR_ABORTED';
  return !(aborted && new URL(req.url()).pathname.endsWith('/favicon.svg'));
}

/** Saves a full-page PNG under target/e2e/screenshots/ and returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The `#s=1.…` fragment of a share link carrying `scenario` (object or JSON text). */
export function scenarioLink(scenario) {
  const json = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
  return '#s=1.' + deflateSync(Buffer.from(json, 'utf8')).toString('base64url');
}

/** An init script that records the main thread's long tasks (over 50 ms) from navigation on,
 * in `window.__longTasks` as `{ start, duration }` (ms). */
export const LONG_TASKS = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

/** The longest main-thread task so far (0 when none passed 50 ms) and the time since
 * navigation, after waiting one more frame so a task still running is counted. */
export async function mainThreadBlocked(page) {
  return page.evaluate(
    () =>
      new Promise((done) =>
        requestAnimationFrame(() =>
          setTimeout(() =>
            done({
              longestMs: Math.max(0, ...window.__longTasks.map((t) => t.duration)),
              nowMs: performance.now(),
            }),
          ),
        ),
      ),
  );
}

/** Closes every context, the browser and the server. */
export async function closeAll() {
  await Promise.all([...contexts].map((c) => c.close().catch(() => {})));
  contexts.clear();
  if (browserPromise) {
    const browser = await browserPromise.catch(() => null);
    browserPromise = undefined;
    await browser?.close().catch(() => {});
  }
  if (serverPromise) {
    const started = await serverPromise.catch(() => null);
    serverPromise = undefined;
    if (started) {
      started.server.closeAllConnections?.();
      await new Promise((ok) => started.server.close(ok));
    }
  }
}

after(closeAll);

/**
 * Runs the `eksplain` CLI with `args` and returns its standard output: the debug binary
 * `cargo test` leaves behind, else the release one, else `cargo run`. Tests take their
 * expected figures from it, so the page is checked against the model.
 */
export function cli(args) {
  const options = { encoding: 'utf8', maxBuffer: 256 << 20 };
  for (const bin of ['target/debug/eksplain', 'target/release/eksplain']) {
    const path = join(REPO_ROOT, bin);
    if (existsSync(path)) return execFileSync(path, args, options);
  }
  return execFileSync('cargo', ['run', '-q', '--bin', 'eksplain', '--', ...args], { ...options, cwd: REPO_ROOT });
}
