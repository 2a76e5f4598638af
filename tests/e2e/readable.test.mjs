// Readable at the default zoom (issue 16, point 3): the first view of the default scenario
// fits the VPC at 1280×800 and no diagram text that is drawn renders below 11 CSS pixels;
// labels too small for the zoom are hidden and come back when zooming in; the panels leave
// the zoom tools uncovered; the architecture view zooms and pans with the same tools.
//
// The rendered size of a <text> is its computed font size times the SVG's screen scale
// (getScreenCTM), checked against its bounding box's height.
//
// Screenshots (target/e2e/screenshots/): readable-1280.png, readable-zoomed.png,
// default-1440.png, architecture-zoomed.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, scenarioLink } from './harness.mjs';

const MIN_PX = 11;

/** Every <text> of the SVG `selector` the browser draws (not display:none), with its
 * rendered size in CSS pixels. */
async function drawnTexts(page, selector) {
  return page.$eval(selector, (svg) => {
    const k = svg.getScreenCTM().a;
    const view = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')]
      .filter((t) => t.getClientRects().length > 0 && getComputedStyle(t).display !== 'none' && getComputedStyle(t).visibility !== 'hidden')
      .map((t) => {
        const r = t.getBoundingClientRect();
        const inView = r.right > view.left && r.left < view.right && r.bottom > view.top && r.top < view.bottom;
        const own = t.transform.baseVal.consolidate()?.matrix.a ?? 1;
        return {
          text: t.textContent.trim(),
          cls: t.getAttribute('class') || t.parentElement.getAttribute('class'),
          px: parseFloat(getComputedStyle(t).fontSize) * k * own,
          box: r.height,
          inView,
        };
      });
  });
}

async function openDefault(viewport) {
  const app = await openApp('', { viewport });
  await app.page.waitForSelector('svg.diagram-svg [data-kind="node"]');
  // The element is measured after the first paint; the view settles then.
  await app.page.waitForFunction(() => document.querySelector('svg.diagram-svg').getAttribute('class').includes('hide-'));
  return app;
}

test('1280×800: the first view fits the VPC and no drawn text is under 11 px', async () => {
  const { page, errors, close } = await openDefault({ width: 1280, height: 800 });
  try {
    const svg = page.locator('svg.diagram-svg');
    // Fitted to the VPC, not to the whole canvas: the VPC fills the drawing's width or height.
    const fit = await page.$eval('svg.diagram-svg', (svg) => {
      const s = svg.getBoundingClientRect();
      const v = svg.querySelector('[data-kind="vpc"] > rect').getBoundingClientRect();
      return { w: v.width / s.width, h: v.height / s.height, inside: v.left >= s.left - 1 && v.right <= s.right + 1 && v.top >= s.top - 1 && v.bottom <= s.bottom + 1 };
    });
    assert.ok(fit.inside, 'the whole VPC is in the first view');
    assert.ok(Math.max(fit.w, fit.h) > 0.9, `the VPC fills the view (${JSON.stringify(fit)})`);

    const texts = await drawnTexts(page, 'svg.diagram-svg');
    const small = texts.filter((t) => t.px < MIN_PX - 0.01);
    assert.deepEqual(small, [], 'no drawn text under 11 px');
    // The bounding boxes agree (a text's box is at least as tall as its font size).
    for (const t of texts.filter((t) => t.inView && t.text)) {
      assert.ok(t.box >= MIN_PX - 0.5, `${t.text} (${t.cls}) is ${t.box} px tall`);
    }
    const shown = texts.filter((t) => t.inView).map((t) => t.text);
    assert.ok(shown.length >= 6, `the first view names things (${shown.join(', ')})`);
    for (const name of ['public-a', 'private-a']) {
      assert.ok(shown.includes(name), `${name} is readable in the first view`);
    }
    console.log(`1280×800: ${texts.length} texts drawn, smallest ${Math.min(...texts.map((t) => t.px)).toFixed(1)} px, scale ${(await page.$eval('svg.diagram-svg', (s) => s.getScreenCTM().a)).toFixed(3)}`);
    await screenshot(page, 'readable-1280.png');

    // Zooming in draws the labels that were too small, still never under 11 px.
    const hidden = await page.$$eval('svg.diagram-svg text', (ts) => ts.filter((t) => t.getClientRects().length === 0).length);
    assert.ok(hidden > 0, 'some labels are hidden at the first zoom');
    const zoomIn = page.locator('[data-kind="diagram"] [data-action="zoom-in"]');
    for (let i = 0; i < 4; i++) await zoomIn.click();
    const closer = await drawnTexts(page, 'svg.diagram-svg');
    assert.ok(closer.length > texts.length, `more labels drawn zoomed in (${texts.length} → ${closer.length})`);
    assert.deepEqual(closer.filter((t) => t.px < MIN_PX - 0.01), []);
    const classes = new Set(closer.map((t) => t.cls));
    assert.ok([...classes].some((c) => c.includes('t-tag') || c.includes('t-muted')), `small styles come back: ${[...classes].join(' | ')}`);
    await screenshot(page, 'readable-zoomed.png');

    // Fit brings the first view back.
    await page.locator('[data-kind="diagram"] [data-action="fit"]').click();
    assert.deepEqual(await drawnTexts(page, 'svg.diagram-svg'), texts);
    assert.ok(await svg.isVisible());
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('1440×900: the default page, and the description card leaves the zoom tools free', async () => {
  const { page, errors, close } = await openDefault({ width: 1440, height: 900 });
  try {
    assert.deepEqual((await drawnTexts(page, 'svg.diagram-svg')).filter((t) => t.px < MIN_PX - 0.01), []);
    await screenshot(page, 'default-1440.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
  // A gallery scenario with a description and its traffic panel open.
  const etp = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');
  for (const width of [1280, 1024]) {
    const app = await openApp(scenarioLink(etp), { viewport: { width, height: 800 } });
    try {
      await app.page.waitForSelector('[data-kind="description"]');
      await app.page.waitForSelector('[data-kind="flow-panel"] button[data-toggle="etp"]');
      const boxes = await app.page.evaluate(() => {
        const box = (sel) => document.querySelector(sel)?.getBoundingClientRect().toJSON();
        return { tools: box('[data-kind="diagram"] .diagram-tools'), card: box('[data-kind="description"]'), panel: box('[data-kind="flow-panel"]') };
      });
      const overlap = (a, b) => a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      assert.ok(!overlap(boxes.tools, boxes.card), `${width}px: the description covers the zoom tools ${JSON.stringify(boxes)}`);
      assert.ok(!overlap(boxes.tools, boxes.panel), `${width}px: the traffic panel covers the zoom tools ${JSON.stringify(boxes)}`);
      // The tools are the topmost thing at their centre.
      const onTop = await app.page.evaluate(() => {
        const r = document.querySelector('[data-kind="diagram"] [data-action="zoom-in"]').getBoundingClientRect();
        return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.getAttribute('data-action');
      });
      assert.equal(onTop, 'zoom-in');
      assert.deepEqual((await drawnTexts(app.page, 'svg.diagram-svg')).filter((t) => t.px < MIN_PX - 0.01), [], `${width}px with the traffic panel`);
      if (width === 1280) await screenshot(app.page, 'readable-traffic.png');
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});

test('the architecture view zooms and pans like the network view; its card covers no box', async () => {
  const { page, errors, close } = await openDefault({ width: 1280, height: 800 });
  try {
    await page.locator('[data-kind="view-toggle"] [data-view="architecture"]').click();
    const svg = page.locator('svg[data-kind="architecture"]');
    await svg.waitFor();
    const width = async () => Number((await svg.getAttribute('viewBox')).split(' ')[2]);
    const fitted = await svg.getAttribute('viewBox');
    await page.locator('[data-action="zoom-in"]').click();
    assert.ok((await width()) < Number(fitted.split(' ')[2]), 'Zoom in narrows the view');
    const zoomed = await svg.getAttribute('viewBox');
    // Keys on the focused drawing: minus zooms out, arrows pan.
    await svg.focus();
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await svg.getAttribute('viewBox'), zoomed, 'an arrow key pans');
    await page.keyboard.press('-');
    // A drag pans.
    const box = await svg.boundingBox();
    const before = await svg.getAttribute('viewBox');
    await page.mouse.move(box.x + 200, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 260, box.y + 230, { steps: 4 });
    await page.mouse.up();
    assert.notEqual(await svg.getAttribute('viewBox'), before, 'a drag pans');
    await page.locator('[data-action="zoom-in"]').click();
    await page.locator('[data-action="zoom-in"]').click();
    await screenshot(page, 'architecture-zoomed.png');
    await page.locator('[data-action="fit"]').click();
    assert.equal(await svg.getAttribute('viewBox'), fitted, 'Fit restores the first view');
    // Fitted, the walk-through card covers none of the boxes shown (the drawing clips
    // what is outside its view).
    const covered = await page.evaluate(() => {
      const card = document.querySelector('[data-kind="walkthrough"]').getBoundingClientRect();
      const view = document.querySelector('svg[data-kind="architecture"]').getBoundingClientRect();
      const cut = (a, b) => ({ left: Math.max(a.left, b.left), right: Math.min(a.right, b.right), top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom) });
      return [...document.querySelectorAll('[data-kind="arch-part"]')]
        .map((p) => [p, cut(p.getBoundingClientRect(), view)])
        .filter(([, r]) => r.left < r.right && r.top < r.bottom)
        .filter(([, r]) => r.left < card.right && card.left < r.right && r.top < card.bottom && card.top < r.bottom)
        .map(([p]) => p.getAttribute('data-id'));
    });
    assert.deepEqual(covered, []);
    // Next brings the step's boxes into view.
    const next = page.locator('[data-kind="walkthrough"] [data-action="next"]');
    for (let i = 0; i < 7; i++) {
      await next.click();
      const lit = await page.evaluate(() => {
        const view = document.querySelector('svg[data-kind="architecture"]').getBoundingClientRect();
        return [...document.querySelectorAll('[data-kind="arch-part"][data-highlight="true"]')].some((p) => {
          const r = p.getBoundingClientRect();
          return r.left < view.right && view.left < r.right && r.top < view.bottom && view.top < r.bottom;
        });
      });
      assert.ok(lit, `step ${i + 2}: a lit box is in view`);
    }
    assert.deepEqual((await drawnTexts(page, 'svg[data-kind="architecture"]')).filter((t) => t.px < MIN_PX - 0.01), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('with the inspector open beside it, the traffic panel keeps every toggle in sight', async () => {
  const etp = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');
  const { page, errors, close } = await openApp(`${scenarioLink(etp)}&select=node:ng-1-1`, { viewport: { width: 1280, height: 800 } });
  try {
    await page.waitForSelector('[data-kind="inspector"][data-selected="node:ng-1-1"]');
    await page.waitForSelector('[data-toggle="etp"]');
    const panel = await page.locator('[data-kind="flow-panel"]').boundingBox();
    for (const button of await page.locator('[data-kind="flow-panel"] [data-toggle]').all()) {
      const box = await button.boundingBox();
      assert.ok(box.x >= panel.x && box.x + box.width <= panel.x + panel.width + 0.5,
        `${await button.getAttribute('data-toggle')} ${await button.textContent()} inside the panel (${JSON.stringify(box)} in ${JSON.stringify(panel)})`);
    }
    await screenshot(page, 'readable-inspector-and-traffic.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
