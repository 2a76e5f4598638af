// Share links, autosave, the embed page and the SVG export (issue 6).
//
// The scenario lives in the URL fragment (`#s=1.…`) and in localStorage; a shared link opens
// the same diagram in a fresh browser; a bad link says why and keeps a diagram; embed.html
// shows the diagram alone inside a sandboxed iframe; the SVG export downloads a file that
// parses and carries the scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, startServer, cli, scenarioLink, REPO_ROOT } from './harness.mjs';

const NODES = '[data-field="managedNodeGroups[0].desiredCapacity"]';

/** What a diagram shows, to compare two pages. */
async function diagramSummary(page) {
  await page.waitForSelector('[data-kind="vpc"]');
  return page.evaluate(() => ({
    nodes: document.querySelectorAll('[data-kind="node"]').length,
    ips: document.querySelectorAll('[data-kind="ip"]').length,
    firstNode: document.querySelector('[data-kind="node"]')?.textContent ?? '',
  }));
}

test('a change is in the URL and survives a reload', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const before = await diagramSummary(page);
    await page.fill(NODES, '5');
    await page.locator(NODES).blur();
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 5);
    await page.waitForFunction(() => location.hash.startsWith('#s=1.'));
    const changed = await diagramSummary(page);
    assert.notDeepEqual(changed, before);

    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('[data-kind="app"]');
    assert.deepEqual(await diagramSummary(page), changed, 'the same diagram after a reload');
    assert.equal(await page.inputValue(NODES), '5');
    assert.equal(await page.locator('[data-kind="restore-offer"]').count(), 0, 'no offer for the same work');
    await screenshot(page, 'reload.png');

    // Back undoes the committed edit.
    await page.goBack();
    await page.waitForFunction((n) => document.querySelectorAll('[data-kind="node"]').length === n, before.nodes);
    assert.deepEqual(await diagramSummary(page), before);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the share link opens the same diagram in a fresh browser', async () => {
  const first = await openApp();
  let url;
  let summary;
  try {
    await first.page.fill(NODES, '4');
    await first.page.locator(NODES).blur();
    await first.page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 4);
    await first.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await first.page.click('[data-kind="share"]');
    const status = await first.page.waitForSelector('[data-kind="share-status"]');
    const text = await status.textContent();
    url = await first.page.evaluate(() => location.href);
    assert.match(text, new RegExp(`${url.length} characters`), text);
    summary = await diagramSummary(first.page);
    assert.deepEqual(first.errors, []);
  } finally {
    await first.close();
  }
  const { base } = await startServer();
  const second = await openApp(url.slice(base.length));
  try {
    assert.deepEqual(await diagramSummary(second.page), summary);
    await screenshot(second.page, 'shared.png');
    assert.deepEqual(second.errors, []);
  } finally {
    await second.close();
  }
});

test('a bad link says why and shows the default diagram', async () => {
  const { page, errors, close } = await openApp('#s=1.eNqrVipLLSrOzM9Tsj');
  try {
    const message = await page.waitForSelector('[data-kind="link-error"]');
    assert.match(await message.textContent(), /truncated or damaged/);
    const summary = await diagramSummary(page);
    assert.equal(summary.nodes, 3, 'the default scenario');
    await screenshot(page, 'bad-link.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the embed page shows the diagram alone inside a sandboxed iframe', async () => {
  const { base } = await startServer();
  const { page, errors, close } = await openApp('', { waitForApp: false });
  try {
    await page.waitForSelector('[data-kind="app"]');
    await page.click('[data-kind="embed"]');
    const snippet = await page.inputValue('[data-kind="embed-snippet"]');
    // Kept in its server's origin, so no server needs CORS headers (embed-static.test.mjs
    // serves it with python3 -m http.server).
    assert.match(snippet, /sandbox="allow-scripts allow-same-origin /);
    assert.match(snippet, new RegExp(`src="${base}embed\\.html#s=1\\.`));
    // A host page with the snippet in it. A
    // page of its own, not the app's document rewritten, which would keep the app's CSP and
    // refuse the snippet's style attribute; served from the test server's host, since
    // Chromium keeps pages of other networks (about:blank included) from framing 127.0.0.1.
    // (lockdown.test.mjs frames embed.html from another origin.)
    const host = `${base}host-page.html`;
    await page.route(host, (route) => route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><body style="margin:0">${snippet.replace('width="960"', 'width="900"')}</body>`,
    }));
    await page.goto(host);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForSelector('[data-kind="vpc"]');
    assert.equal(await frame.locator('[data-kind="app"]').count(), 0, 'no editor chrome');
    assert.equal(await frame.locator('[data-field]').count(), 0, 'no editor fields');
    assert.equal(await frame.locator('[data-kind="node"]').count(), 3);
    await screenshot(page, 'embed.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('embed options: dark theme and no zoom buttons', async () => {
  const { page, errors, close } = await openApp('embed.html?theme=dark&controls=0', { waitForApp: false });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    assert.equal(await page.locator('[data-kind="embed-view"][data-theme="dark"]').count(), 1);
    assert.equal(await page.locator('.diagram-tools').isVisible(), false);
    // The dark palette is pinned although the browser prefers light (read from the CSSOM).
    const bg = await page.$eval('[data-kind="embed-view"]', (e) => getComputedStyle(e).getPropertyValue('--bg').trim());
    assert.equal(bg, '#0f141a');
    await screenshot(page, 'embed-dark.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('embed options: the architecture view', async () => {
  const { page, errors, close } = await openApp('embed.html?view=architecture', { waitForApp: false });
  try {
    await page.waitForSelector('[data-kind="arch-part"]');
    assert.equal(await page.locator('[data-kind="vpc"]').count(), 0);
    assert.equal(await page.locator('[data-field]').count(), 0, 'read-only');
    await screenshot(page, 'embed-architecture.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('Export SVG is drawn in the colours the page shows: dark when the reader prefers dark', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const theme = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-svg"]')]);
      const text = await readFile(await download.path(), 'utf8');
      return text.match(/<svg[^>]*data-theme="([a-z]+)"/)[1];
    };
    assert.equal(await theme(), 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await theme(), 'dark');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('Export SVG downloads a standalone SVG that opens again', async () => {
  const { context, page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-svg"]')]);
    assert.match(download.suggestedFilename(), /\.svg$/);
    const text = await readFile(await download.path(), 'utf8');
    // Parsed in a blank page: a document parsed in the app's page gets its CSP, which refuses
    // the file's inline <style>.
    const blank = await context.newPage();
    const parsed = await blank.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.namespaceURI,
        vpc: doc.querySelectorAll('[data-kind="vpc"]').length,
        metadata: doc.querySelector('metadata')?.textContent ?? '',
        style: doc.querySelector('style')?.textContent ?? '',
      };
    }, text);
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.vpc, 1);
    assert.equal(JSON.parse(parsed.metadata).version, 1);
    // The page's stylesheet is inlined, with the light theme's values in place of variables.
    assert.ok(parsed.style.length > 5000, `stylesheet inlined (${parsed.style.length} chars)`);
    assert.ok(!parsed.style.includes('var(--'), 'no custom properties left');
    await blank.close();

    // Open it again after a change: the exported scenario comes back.
    await page.fill(NODES, '6');
    await page.locator(NODES).blur();
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 6);
    await page.setInputFiles('[data-kind="import"] input', { name: 'x.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 3);

    // Dropping the file on the page does the same.
    await page.fill(NODES, '6');
    await page.locator(NODES).blur();
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 6);
    const transfer = await page.evaluateHandle((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'diagram.svg', { type: 'image/svg+xml' }));
      return dt;
    }, text);
    await page.dispatchEvent('[data-kind="diagram"]', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('[data-kind="diagram"]', 'drop', { dataTransfer: transfer });
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 3);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** Sorted `data-kind data-id` pairs, the view and the traced flow of an SVG document's text. */
async function svgContents(page, text) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const pairs = [...doc.querySelectorAll('[data-kind]')].map((e) => `${e.dataset.kind} ${e.dataset.id ?? ''}`);
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      pairs: [...new Set(pairs)].sort(),
      view: doc.documentElement.dataset.view,
      flow: doc.querySelector('[data-kind="flow-path"]')?.dataset.flow ?? null,
    };
  }, text);
}

test('Export SVG draws what the page shows: its view and its flow, as eksplain render does', async () => {
  const file = join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json');
  const json = readFileSync(file, 'utf8');
  const flow = 'internet->service/web-cluster';
  const { context, page, errors, close } = await openApp(scenarioLink(json), { viewport: { width: 1600, height: 1000 } });
  try {
    await page.waitForSelector(`[data-kind="flow-path"][data-flow="${flow}"]`);
    const blank = await context.newPage();
    const exported = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-svg"]')]);
      return svgContents(blank, await readFile(await download.path(), 'utf8'));
    };

    // The network view with the first flow, shown by default in the traffic panel.
    const network = await exported();
    assert.equal(network.error, null);
    assert.equal(network.view, 'network');
    assert.equal(network.flow, flow);
    const rendered = await svgContents(blank, cli(['render', file, '--flow', flow]));
    assert.deepEqual(network.pairs, rendered.pairs, 'the export and eksplain render draw the same things');
    for (const kind of ['lb', 'service', 'flow-stop']) {
      assert.ok(network.pairs.some((p) => p.startsWith(`${kind} `)), `no ${kind} in the export`);
    }

    // The architecture view (the export's notice, which covers the view switch, dismissed first).
    await page.click('[data-kind="share-status"] button[aria-label="Dismiss"]');
    await page.click('[data-kind="view-toggle"] [data-view="architecture"]');
    await page.waitForSelector('[data-kind="arch-part"]');
    const architecture = await exported();
    assert.equal(architecture.view, 'architecture');
    assert.ok(architecture.pairs.includes('arch-part arch:kube-apiserver'));
    assert.ok(!architecture.pairs.some((p) => p.startsWith('subnet ')));
    const renderedArchitecture = await svgContents(blank, cli(['render', file, '--view', 'architecture', '--flow', flow]));
    assert.deepEqual(architecture.pairs, renderedArchitecture.pairs);
    await blank.close();
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the gallery loads a scenario and shows its description', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.click('[data-kind="gallery"]');
    const entry = await page.waitForSelector('[data-kind="gallery-entry"][data-file="gallery/prefix-delegation.json"]');
    await entry.click();
    const description = await page.waitForSelector('[data-kind="description"]');
    assert.match(await description.textContent(), /prefix/i);
    await screenshot(page, 'gallery.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the gallery's At scale entry opens 5,000 nodes from a 16-character link", async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.click('[data-kind="gallery"]');
    const entry = await page.waitForSelector('[data-kind="gallery-entry"][data-link="#s=2.scale.5000"]');
    assert.match(await entry.textContent(), /At scale: 5,000 nodes/);
    await entry.click();
    // The page writes the generator's parameters back, not 70,000 characters of JSON.
    await page.waitForFunction(() => location.hash.startsWith('#s=2.scale.5000'), null, { timeout: 30000 });
    const description = await page.waitForSelector('[data-kind="description"]');
    assert.match(await description.textContent(), /5000 nodes/);
    // Zoomed out, the node groups are summaries (level of detail), not 5,000 node boxes.
    await page.waitForSelector('[data-kind="summary"]');
    assert.ok((await page.locator('[data-kind="node"]').count()) < 5000);
    await screenshot(page, 'gallery-at-scale.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('opening a link over different unsaved work offers to restore it', async () => {
  const { context, page, errors, close } = await openApp();
  try {
    await page.waitForFunction(() => location.hash.startsWith('#s=1.'));
    const defaultLink = await page.evaluate(() => location.href);
    await page.fill(NODES, '5');
    await page.locator(NODES).blur();
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 5);

    const other = await context.newPage();
    await other.goto(defaultLink);
    const offer = await other.waitForSelector('[data-kind="restore-offer"]');
    assert.match(await offer.textContent(), /You have unsaved work from .+ Restore it/);
    assert.equal((await diagramSummary(other)).nodes, 3, "the link's scenario is shown");
    await screenshot(other, 'restore-offer.png');
    await other.click('[data-kind="restore-offer"] [data-action="restore"]');
    await other.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 5);
    assert.equal(await other.locator('[data-kind="restore-offer"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a link past 8,000 characters gets a warning', async () => {
  const { deflateSync } = await import('node:zlib');
  const { randomBytes } = await import('node:crypto');
  const scenario = JSON.parse(await readFile(new URL('../../static/scenarios/default.json', import.meta.url), 'utf8'));
  scenario.description = randomBytes(10000).toString('hex'); // incompressible enough
  const payload = deflateSync(Buffer.from(JSON.stringify(scenario))).toString('base64url');
  const { page, errors, close } = await openApp(`#s=1.${payload}`);
  try {
    const warning = await page.waitForSelector('[data-kind="link-warning"]');
    assert.match(await warning.textContent(), /characters long/);
    assert.equal((await diagramSummary(page)).nodes, 3);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('PNG downloads a raster of the diagram', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-png"]')]);
    assert.match(download.suggestedFilename(), /\.png$/);
    const png = await readFile(await download.path());
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.ok(png.length > 50_000, `a PNG of ${png.length} bytes: nothing drawn?`);
    // Width and height (IHDR): twice the diagram's size.
    assert.ok(png.readUInt32BE(16) > 2000 && png.readUInt32BE(20) > 1000);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
