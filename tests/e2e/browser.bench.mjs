// In-browser benchmark, run by `cargo xtask bench` after `cargo xtask dist` (not part of the
// e2e tests: the file does not end in .test.mjs). Medians over several runs in headless
// Chromium of: the time to the first diagram (navigation start → the VPC is drawn), the
// cluster build inside wasm at 5,000 nodes / 150,000 pods, and the repaint after toggling
// externalTrafficPolicy at 100 nodes / 3,000 pods. Writes target/bench/browser.json, which
// the bench report reads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, REPO_ROOT, cli } from './harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 7);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const eksplain = (...args) => cli(args);

const results = {};

test('time to the first diagram (default scenario)', async () => {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const { page, close } = await openApp('', { waitForApp: false });
    await page.waitForSelector('[data-kind="vpc"]');
    times.push(await page.evaluate(() => performance.now()));
    await close();
  }
  results.firstDiagramMs = median(times);
  results.firstDiagramRuns = times;
});

test('cluster build in wasm at 5,000 nodes / 150,000 pods', async () => {
  const json = eksplain('example', '--nodes', '5000');
  const { page, close } = await openApp('');
  const times = await page.evaluate(
    ([text, runs]) => Array.from(window.wasmBindings.eksplain_bench_build(text, runs)),
    [json, Math.min(RUNS, 5)],
  );
  assert.ok(times.length > 0, 'the 5,000-node scenario builds');
  results.wasmBuild5000Ms = median(times);
  results.wasmBuild5000Runs = times;
  for (const nodes of [100, 1000]) {
    const t = await page.evaluate(
      ([text, runs]) => Array.from(window.wasmBindings.eksplain_bench_build(text, runs)),
      [eksplain('example', '--nodes', String(nodes)), RUNS],
    );
    results[`wasmBuild${nodes}Ms`] = median(t);
  }
  await close();
});

test('repaint after an externalTrafficPolicy toggle at 100 nodes / 3,000 pods', async () => {
  const dir = join(REPO_ROOT, 'target', 'bench');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'scale-100.json');
  await writeFile(file, eksplain('example', '--nodes', '100'));
  const fragment = eksplain('link', file).trim();
  const { page, close } = await openApp(fragment);
  await page.waitForSelector('[data-kind="node"]');
  // The traffic panel's toggle for the picked flow's service, else any externalTrafficPolicy
  // field, else (said in the report) the EXTERNALSNAT switch.
  const selectors = [
    '[data-toggle="etp"]:not([aria-pressed="true"])',
    '[data-field$=".externalTrafficPolicy"]',
    '[data-kind="etp-toggle"]',
    '[data-field="cluster.vpcCni.externalSnat"]',
  ];
  let selector = null;
  for (const s of selectors) {
    if (await page.locator(s).count()) {
      selector = s;
      break;
    }
  }
  assert.ok(selector, 'a toggle to flip');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(
      await page.evaluate(async (sel) => {
        const el = document.querySelector(sel);
        const t0 = performance.now();
        if (el.tagName === 'SELECT') {
          el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        } else {
          el.click();
        }
        // The repaint is done when two animation frames have passed.
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t0;
      }, selector),
    );
  }
  results.repaintToggle100Ms = median(times);
  results.repaintToggle100Runs = times;
  results.toggle = selector;
  await close();
});

test('write target/bench/browser.json', async () => {
  const dir = join(REPO_ROOT, 'target', 'bench');
  await mkdir(dir, { recursive: true });
  results.runs = RUNS;
  results.chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  await writeFile(join(dir, 'browser.json'), JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results, null, 2));
});
