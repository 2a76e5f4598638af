// Iframes that size themselves (issue 15): framed, embed.html posts
// `{type: "eksplain:resize", height}` to its parent; the host script in docs/embedding.md
// (run here as written there) sets the iframe's height to it. embed.html listens to no
// message: what a host posts changes nothing it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, startServer, scenarioLink, REPO_ROOT } from './harness.mjs';

const DEFAULT = readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8');

/** The host script from docs/embedding.md, the block after its test marker. */
function docsScript() {
  const docs = readFileSync(join(REPO_ROOT, 'docs/embedding.md'), 'utf8');
  const found = docs.match(/<!-- tests\/e2e\/embed-resize\.test\.mjs runs this script as written here\. -->\n```html\n([\s\S]*?)```/);
  assert.ok(found, 'docs/embedding.md has the host script');
  return found[1];
}

/** A host page on the test server's origin with an iframe of embed.html and the docs' script. */
async function openHost(query = '') {
  const { base } = await startServer();
  // The app loaded first, so that leaving it aborts no request of its own.
  const { page, errors, close } = await openApp();
  const src = `${base}embed.html${query}${scenarioLink(DEFAULT)}`;
  const host = `${base}embed-host.html`;
  await page.route(host, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><body style="margin:0;background:#ccc"><p>Before the frame.</p>
<iframe id="eksplain-diagram" src="${src}" title="diagram" width="900" height="600"
        sandbox="allow-scripts" style="border:0;display:block"></iframe>
<p>After the frame.</p>
${docsScript()}</body>`,
  }));
  await page.goto(host);
  const iframe = await page.waitForSelector('iframe');
  const frame = await iframe.contentFrame();
  await frame.waitForSelector(query.includes('view=architecture') ? '[data-kind="arch-part"]' : '[data-kind="vpc"]');
  return { page, iframe, frame, errors, close };
}

/** The iframe's height in CSS pixels. */
const heightOf = (iframe) => iframe.evaluate((f) => f.getBoundingClientRect().height);

/** How the frame draws its diagram: the svg's box, the aspect of what it shows whole, and the
 * box around what it draws, all in the frame's CSS pixels. */
async function drawn(frame) {
  return frame.evaluate(() => {
    const svg = document.querySelector('[data-kind="diagram"] svg');
    const [, , w, h] = svg.getAttribute('viewBox').split(/[\s,]+/).map(Number);
    // Everything drawn: the union of the boxes of the diagram's things.
    const boxes = [...svg.querySelectorAll('[data-kind]')].map((e) => e.getBoundingClientRect()).filter((b) => b.width > 0);
    const top = Math.min(...boxes.map((b) => b.top));
    const bottom = Math.max(...boxes.map((b) => b.bottom));
    const left = Math.min(...boxes.map((b) => b.left));
    const right = Math.max(...boxes.map((b) => b.right));
    return {
      svgWidth: svg.clientWidth,
      svgHeight: svg.clientHeight,
      aspect: h / w,
      drawnTop: top,
      drawnBottom: bottom,
      drawnWidth: right - left,
      drawnHeight: bottom - top,
      documentHeight: document.documentElement.scrollHeight,
      innerHeight,
    };
  });
}

/** The frame is as tall as its diagram: the svg shows the scene whole with no band above or
 * below it (its height is its width times the scene's aspect), and what it draws spans the
 * frame's width and the svg's height but for the fit's margins, inside the frame. */
function assertFits(d, iframeHeight) {
  const json = JSON.stringify(d);
  assert.ok(Math.abs(d.svgHeight - d.svgWidth * d.aspect) <= 3, `the drawing fills its box: ${json}`);
  assert.ok(Math.abs(iframeHeight - d.innerHeight) <= 1, `the frame is the document's height: ${iframeHeight} vs ${d.innerHeight}`);
  assert.ok(d.drawnTop >= 0 && d.drawnBottom <= d.innerHeight, `the diagram is inside the frame: ${json}`);
  assert.ok(d.drawnWidth > d.svgWidth * 0.9, `drawn at the frame's width: ${json}`);
  assert.ok(d.drawnHeight > d.svgHeight * 0.9, `drawn at the svg's height, no band above or below: ${json}`);
}

test("the host page's script sizes the iframe to the diagram's height", async () => {
  const { page, iframe, frame, errors, close } = await openHost();
  try {
    await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height !== 600);
    // Settled: no further message moves it.
    await page.waitForTimeout(300);
    const height = await heightOf(iframe);
    assert.notEqual(height, 600);
    await screenshot(page, 'embed-resize.png');
    assertFits(await drawn(frame), height);

    // A narrower frame: the diagram is drawn smaller, so the frame gets shorter.
    await iframe.evaluate((f) => { f.width = '600'; });
    await page.waitForFunction((h) => document.querySelector('iframe').getBoundingClientRect().height < h - 50, height);
    await page.waitForTimeout(300);
    const narrow = await heightOf(iframe);
    await screenshot(page, 'embed-resize-narrow.png');
    assertFits(await drawn(frame), narrow);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

/** Waits until the iframe's height has stayed the same for half a second; returns it. */
async function settledHeight(page, iframe) {
  let last = await heightOf(iframe);
  for (let i = 0; i < 40; i += 1) {
    await page.waitForTimeout(500);
    const now = await heightOf(iframe);
    if (now === last) return now;
    last = now;
  }
  assert.fail(`the iframe's height never settled (last ${last})`);
}

test('the architecture view: the frame fits the drawing and the walk-through, at any width', async () => {
  const { page, iframe, frame, errors, close } = await openHost('?view=architecture');
  try {
    for (const width of ['900', '600']) {
      await iframe.evaluate((f, w) => { f.width = w; }, width);
      await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height !== 600);
      const height = await settledHeight(page, iframe);
      const d = await frame.evaluate(() => {
        const svg = document.querySelector('[data-kind="architecture"]');
        const parts = [...svg.querySelectorAll('[data-kind="arch-part"]')].map((e) => e.getBoundingClientRect());
        return {
          innerHeight,
          walkthroughBottom: document.querySelector('[data-kind="walkthrough"]').getBoundingClientRect().bottom,
          partsBottom: Math.max(...parts.map((b) => b.bottom)),
          svgHeight: svg.getBoundingClientRect().height,
        };
      });
      const json = JSON.stringify({ width, height, ...d });
      assert.ok(height > 150, `not collapsed: ${json}`);
      assert.ok(d.walkthroughBottom <= d.innerHeight, `the walk-through fits: ${json}`);
      assert.ok(d.partsBottom <= d.innerHeight, `the drawing fits: ${json}`);
      await screenshot(page, `embed-resize-architecture-${width}.png`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the host script takes the message only from its frame', async () => {
  const { page, iframe, errors, close } = await openHost();
  try {
    await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height !== 600);
    await page.waitForTimeout(300);
    const height = await heightOf(iframe);
    // The same message from the host page itself, or with a height that is not a number.
    await page.evaluate(() => {
      postMessage({ type: 'eksplain:resize', height: 123 }, '*');
      postMessage({ type: 'eksplain:resize', height: '1px; display:none' }, '*');
    });
    await page.waitForTimeout(300);
    assert.equal(await heightOf(iframe), height);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('messages posted to embed.html change nothing it shows', async () => {
  const { page, iframe, frame, errors, close } = await openHost('?controls=0');
  try {
    await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height !== 600);
    await page.waitForTimeout(300);
    const before = await frame.evaluate(() => ({
      html: document.querySelector('[data-kind="embed-view"]').outerHTML,
      url: location.href,
    }));
    const other = scenarioLink(DEFAULT.replace('"desiredCapacity": 3', '"desiredCapacity": 6'));
    await iframe.evaluate((f, link) => {
      const w = f.contentWindow;
      for (const message of [
        { type: 'eksplain:resize', height: 10 },
        { type: 'eksplain:open', link },
        { type: 'eksplain:theme', theme: 'dark' },
        link,
        `embed.html${link}`,
      ]) {
        w.postMessage(message, '*');
      }
    }, other);
    await page.waitForTimeout(500);
    const after = await frame.evaluate(() => ({
      html: document.querySelector('[data-kind="embed-view"]').outerHTML,
      url: location.href,
    }));
    assert.deepEqual(after, before);
    assert.equal(await frame.locator('[data-kind="node"]').count(), 3);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('embed.html opened on its own posts nothing', async () => {
  const { page, errors, close } = await openApp(`embed.html${scenarioLink(DEFAULT)}`, {
    waitForApp: false,
    initScript: () => {
      window.eksplainMessages = [];
      addEventListener('message', (e) => window.eksplainMessages.push(e.data));
    },
  });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.eksplainMessages), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
