// A 1,000-node cluster (30,000 pods) in the page: zoomed out it aggregates, zoomed in it
// shows detail, and the SVG never carries more than a few thousand elements at once.
// Screenshots scale-1000-out.png and scale-1000-in.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, cli } from './harness.mjs';

const example = (nodes) => cli(['example', '--nodes', String(nodes)]);


test('1,000 nodes: aggregated when zoomed out, detailed when zoomed in', { timeout: 180000 }, async () => {
  const { page, errors, close } = await openApp('', { viewport: { width: 1600, height: 1000 } });
  await page.waitForFunction(() => typeof window.eksplainLoad === 'function');
  const ok = await page.evaluate((text) => window.eksplainLoad(text), example(1000));
  assert.equal(ok, true, String(ok));
  await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length > 0, null, { timeout: 120000 });
  const outElements = await page.evaluate(() => document.querySelectorAll('svg *').length);
  assert.ok(outElements < 20000, `zoomed out the page holds ${outElements} SVG elements`);
  await screenshot(page, 'scale-1000-out.png');

  const zoomIn = page.locator('button[aria-label="Zoom in"]');
  for (let i = 0; i < 12; i++) {
    await zoomIn.click();
  }
  await page.waitForTimeout(500);
  const inElements = await page.evaluate(() => document.querySelectorAll('svg *').length);
  assert.ok(inElements <= outElements * 2, `zoomed in: ${inElements} elements (out: ${outElements})`);
  await screenshot(page, 'scale-1000-in.png');

  // Find a node by name among 1,000: it is selected and brought into view.
  const search = page.locator('[data-kind="search"] input');
  await search.fill('ng-2-300');
  await search.press('Enter');
  await page.waitForSelector('[data-kind="inspector"][data-selected="node:ng-2-300"]');
  await page.waitForTimeout(300);
  const box = await page.locator('[data-id="node:ng-2-300"]').first().boundingBox();
  assert.ok(box && box.width > 0, 'the node is drawn after the jump');
  await screenshot(page, 'scale-1000-search.png');
  assert.deepEqual(errors, []);
  await close();
});
