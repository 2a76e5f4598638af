// The Embed snippet on a plain static server (issue 16): a copy of dist/ and a page holding
// the snippet the Embed dialog gave, served by a real `python3 -m http.server` — which sends
// no CORS headers — draws the diagram with the flow chosen in the dialog (the one being
// viewed). With the old `sandbox="allow-scripts"` alone, the frame has an opaque origin and
// the server refuses its files: the frame then says why and how to fix it, not a blank box.
//
// Screenshots (target/e2e/screenshots/): embed-dialog.png (the dialog and its options),
// embed-static.png (the snippet's page), embed-static-fallback.png (the message).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, openPage, screenshot, startServer, scenarioLink, DIST_DIR, REPO_ROOT } from './harness.mjs';

const ETP = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');
const LOCAL = 'internet->service/web-local';

/** A port nothing listens on now. */
async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** `python3 -m http.server` serving `dir` on a free port, once it answers. */
async function pythonServer(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${origin}/`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error('python3 -m http.server did not start');
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { origin, stop: () => child.kill() };
}

const site = mkdtempSync(join(tmpdir(), 'eksplain-embed-'));
cpSync(DIST_DIR, join(site, 'eksplain'), { recursive: true });
let python;
after(() => {
  python?.stop();
  rmSync(site, { recursive: true, force: true });
});

/** A host page, every failed request counted (the frame's own included). */
const openHost = (url) => openPage(url, { everyFailure: true });

/** A docs page holding `snippet` (its own icon, so the browser asks the server for none). */
function hostPage(snippet) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>docs</title></head>
<body><h1>Our cluster</h1>
${snippet}
</body></html>
`;
}

/** The Embed dialog's snippet while viewing `web-local`, with its src on `origin`'s copy. */
async function snippetFor(origin) {
  const { base } = await startServer();
  const { page, errors, close } = await openApp(scenarioLink(ETP));
  try {
    await page.waitForSelector('[data-kind="flow-picker"]');
    await page.selectOption('[data-kind="flow-picker"]', LOCAL);
    await page.waitForSelector(`[data-kind="flow-panel"][data-flow="${LOCAL}"]`);
    await page.click('[data-kind="embed"]');
    // The dialog starts on what the page shows, and offers the options.
    assert.equal(await page.inputValue('[data-kind="embed-flow"]'), LOCAL);
    assert.equal(await page.inputValue('[data-kind="embed-view"]'), 'network');
    assert.equal(await page.inputValue('[data-kind="embed-theme"]'), '');
    assert.equal(await page.isChecked('[data-kind="embed-controls"]'), true);
    const panel = await page.textContent('[data-kind="embed-panel"]');
    for (const word of ['flow', 'view', 'theme', 'controls']) assert.ok(panel.includes(word), `the dialog names ${word}`);
    let snippet = await page.inputValue('[data-kind="embed-snippet"]');
    assert.match(snippet, /embed\.html\?flow=internet-%3Eservice\/web-local#s=1\./);
    assert.match(snippet, /sandbox="allow-scripts allow-same-origin /);
    // An option changed: the snippet follows.
    await page.selectOption('[data-kind="embed-theme"]', 'dark');
    await page.waitForFunction(() => document.querySelector('[data-kind="embed-snippet"]').value.includes('&amp;theme=dark'));
    await page.selectOption('[data-kind="embed-theme"]', '');
    await screenshot(page, 'embed-dialog.png');
    snippet = await page.inputValue('[data-kind="embed-snippet"]');
    assert.deepEqual(errors, []);
    return snippet.replaceAll(base, `${origin}/eksplain/`);
  } finally {
    await close();
  }
}

test('the Embed snippet on python3 -m http.server draws the diagram with the flow shown', async () => {
  python ??= await pythonServer(site);
  const snippet = await snippetFor(python.origin);
  writeFileSync(join(site, 'host.html'), hostPage(snippet));
  const { page, errors, close } = await openHost(`${python.origin}/host.html`);
  try {
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForSelector('[data-kind="vpc"]');
    await frame.waitForSelector(`[data-kind="flow-path"][data-flow="${LOCAL}"]`);
    assert.equal(await frame.locator('[data-kind="embed-fallback"]').count(), 0, 'the message is gone');
    // The frame kept the server's origin: nothing needed CORS.
    assert.equal(await frame.evaluate(() => self.origin), python.origin);
    await screenshot(page, 'embed-static.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a frame that cannot load the app says why instead of a blank box', async () => {
  python ??= await pythonServer(site);
  const snippet = (await snippetFor(python.origin)).replace(/sandbox="[^"]*"/, 'sandbox="allow-scripts"');
  writeFileSync(join(site, 'old.html'), hostPage(snippet));
  const { page, close } = await openHost(`${python.origin}/old.html`);
  try {
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    const message = frame.locator('[data-kind="embed-fallback"]');
    await message.waitFor({ state: 'visible' });
    const text = await message.textContent();
    assert.match(text, /could not be loaded/);
    assert.match(text, /allow-same-origin/);
    assert.match(text, /Access-Control-Allow-Origin/);
    assert.equal(await frame.locator('[data-kind="vpc"]').count(), 0);
    await screenshot(page, 'embed-static-fallback.png');
  } finally {
    await close();
  }
});
