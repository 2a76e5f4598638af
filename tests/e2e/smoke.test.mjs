// Smoke test: the built site loads under a sub-path, the Yew app mounts, and nothing on the
// way logs an error (broken relative asset URL, wasm instantiation failure, panic, …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './harness.mjs';

test('the app loads under /eksplain/ and renders without errors', async () => {
  const { page, url, errors, close } = await openApp();
  try {
    assert.match(url, /\/eksplain\/$/);
    const app = await page.waitForSelector('[data-kind="app"]', { state: 'visible' });
    assert.ok(app, 'an element with data-kind="app" is rendered');
    assert.equal(await page.title(), 'eksplain — EKS networking, explained');
    await screenshot(page, 'smoke.png');
    assert.deepEqual(errors, [], 'no page errors, console errors or failed requests');
  } finally {
    await close();
  }
});
