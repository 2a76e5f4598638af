// In-browser benchmark, run by `cargo xtask bench` on its own build with the `test-hooks`
// feature, target/bench-dist/ (the bindings below are not in the release site, dist/; not part
// of the e2e tests: the file does not end in .test.mjs). Medians over several runs in headless
// Chromium of: the time to the first diagram (navigation start → the first frame painted with
// the VPC in it, timed inside the page), the
// cluster build inside wasm at 5,000 nodes / 150,000 pods, and the repaint after toggling
// externalTrafficPolicy at 100 nodes / 3,000 pods and at 5,000 nodes / 150,000 pods — both
// the work the page does (click → Yew rendered → style and layout forced; no frame wait) and
// the paint-inclusive figures (Event Timing's input → next paint, and click → the next frame
// on the main thread). Writes target/bench/browser.json, which the bench report reads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, REPO_ROOT, cli, scenarioLink, startServer } from './harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 7);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The median of figures where `null` means "under the smallest the API reports": those sort
 * first, and a median that falls on one is `null`. */
const censoredMedian = (xs) => {
  const s = [...xs].sort((a, b) => (a ?? -Infinity) - (b ?? -Infinity));
  const mid = s.slice(Math.floor((s.length - 1) / 2), Math.floor(s.length / 2) + 1);
  return mid.includes(null) ? null : median(mid);
};

const eksplain = (...args) => cli(args);

const results = {};

/**
 * Source text run in the page before its own scripts (openApp's `initScript`): sets
 * `window.benchFirstDiagram`, a promise of the times, from navigation start (the page's time
 * origin), when the first element matching `selector` entered the DOM (`inDom`, seen by a
 * MutationObserver) and when the first frame after that was painted (`painted`: the end of
 * the frame's requestAnimationFrame callbacks, style, layout and paint, then a message). Timed
 * inside the page, not by polling from here: Playwright's waitForSelector polls at 0, 20, 50,
 * 100, 100, then every 500 ms after `load`, so that a figure read after it falls on one of its
 * polls (and its injected script's 40 ms of parsing runs on the page's main thread meanwhile).
 */
const firstDrawnScript = (selector) => `(${(sel) => {
  window.benchFirstDiagram = new Promise((resolve) => {
    let seen = false;
    const check = () => {
      if (seen || !document.querySelector(sel)) return;
      seen = true;
      observer.disconnect();
      const inDom = performance.now();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ inDom, painted: performance.now() });
        channel.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true });
    check();
  });
}})(${JSON.stringify(selector)})`;

/** Navigation → the default scenario's VPC drawn (painted), in a fresh browser context each
 * run (ms); also when it entered the DOM. */
async function firstDiagramTimes(path) {
  const painted = [];
  const inDom = [];
  for (let i = 0; i < RUNS; i++) {
    const { page, close } = await openApp(path, { waitForApp: false, initScript: firstDrawnScript('[data-kind="vpc"]') });
    const t = await page.evaluate(() => window.benchFirstDiagram);
    painted.push(t.painted);
    inDom.push(t.inDom);
    await close();
  }
  return { painted, inDom };
}

test('time to the first diagram (default scenario)', async () => {
  const { painted, inDom } = await firstDiagramTimes('');
  results.firstDiagramMs = median(painted);
  results.firstDiagramRuns = painted;
  results.firstDiagramInDomMs = median(inDom);
});

test('time to the first diagram of embed.html (default scenario)', async () => {
  const { painted, inDom } = await firstDiagramTimes('embed.html');
  results.embedFirstDiagramMs = median(painted);
  results.embedFirstDiagramRuns = painted;
  results.embedFirstDiagramInDomMs = median(inDom);
});

/** A Mermaid flowchart of about the default scenario's size: the region, the VPC, three AZs
 * with a public and a private subnet each, a NAT gateway, the control plane's ENI and a node
 * with two ENIs and its pods in each, the internet gateway and the control plane. */
function mermaidFlowchart() {
  const lines = ['flowchart TB', '  internet((Internet)) --> igw[Internet gateway]', '  subgraph region[Region us-east-1]', '  subgraph vpc[VPC 10.0.0.0/16]'];
  for (const az of ['a', 'b', 'c']) {
    lines.push(`  subgraph az${az}[Availability Zone us-east-1${az}]`);
    lines.push(`  subgraph pub${az}[public-${az} 10.0.${az.charCodeAt(0) - 97}.0/24]`, `    nat${az}[NAT gateway]`, '  end');
    lines.push(`  subgraph priv${az}[private-${az} 10.0.${16 * (az.charCodeAt(0) - 96)}.0/20]`, `    eks${az}[EKS cross-account ENI]`);
    lines.push(`    subgraph node${az}[ng-1-${az} m5.large]`, `      eth0${az}[eth0] --> pod${az}1([coredns]) & pod${az}2([web])`, `      eth1${az}[eth1]`, '    end');
    lines.push('  end', '  end', `  igw --> nat${az}`, `  nat${az} --> node${az}`);
  }
  lines.push('  end', '  end', '  cp[EKS control plane] --> eksa & eksb & ekscc[kubectl]');
  return lines.join('\n');
}

test('time to the first diagram of a Mermaid flowchart of similar size (the yardstick)', async () => {
  const bundle = join(REPO_ROOT, 'tests/e2e/mermaid/node_modules/mermaid/dist/mermaid.min.js');
  if (!existsSync(bundle)) {
    results.mermaidFirstDiagramMs = null;
    return;
  }
  const { origin } = await startServer();
  const url = `${origin}/mermaid-yardstick/index.html`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Mermaid</title></head>
<body><pre class="mermaid">${mermaidFlowchart()}</pre><script src="mermaid.min.js"></script>
<script>mermaid.initialize({ startOnLoad: true });</script></body></html>`;
  const times = [];
  const inDom = [];
  for (let i = 0; i < RUNS; i++) {
    // Timed as eksplain's pages are: its first node painted, measured inside the page.
    const { page, close } = await openApp('', { waitForApp: false, initScript: firstDrawnScript('pre.mermaid svg g.node') });
    await page.route(`${origin}/mermaid-yardstick/**`, (route) =>
      route.request().url().endsWith('.js')
        ? route.fulfill({ path: bundle, contentType: 'text/javascript' })
        : route.fulfill({ body: html, contentType: 'text/html' }),
    );
    await page.goto(url);
    const t = await page.evaluate(() => window.benchFirstDiagram);
    times.push(t.painted);
    inDom.push(t.inDom);
    await close();
  }
  results.mermaidFirstDiagramMs = median(times);
  results.mermaidFirstDiagramRuns = times;
  results.mermaidFirstDiagramInDomMs = median(inDom);
});

test('cluster build in wasm at 5,000 nodes / 150,000 pods', async () => {
  const json = eksplain('example', '--nodes', '5000');
  const { page, close } = await openApp('');
  // One build first, not counted: the first call runs code the engine has just compiled
  // (lazily, then tiered up) and grows the memory, as criterion's warm-up does natively.
  const runs = await page.evaluate(
    ([text, runs]) => Array.from(window.wasmBindings.eksplain_bench_build(text, runs)),
    [json, RUNS + 1],
  );
  const times = runs.slice(1);
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

/** A link near the largest payload the codec accepts (`MAX_LINK_PAYLOAD_CHARS`, 256 KiB):
 * workloads with names that do not compress, as many as fit. */
function largestLink() {
  const MAX = 256 * 1024;
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  const name = () => 'w' + Array.from({ length: 62 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[random() % 36]).join('');
  const base = JSON.parse(readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));
  const names = Array.from({ length: 10000 }, name);
  const linkOf = (n) => {
    const s = structuredClone(base);
    s.workloads = names.slice(0, n).map((w) => ({ name: w, replicas: 0 }));
    return scenarioLink(s);
  };
  let lo = 1;
  let hi = names.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (linkOf(mid).length - '#s=1.'.length <= MAX) lo = mid;
    else hi = mid - 1;
  }
  return linkOf(lo);
}

/** A link whose scenario expands to just under the 4 MiB a link may hold (`MAX_EXPANDED_BYTES`):
 * thousands of workloads with labels, which compress well and parse slowest. */
function expandedLink() {
  const base = JSON.parse(readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));
  const labels = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`label-${i}`, `value-${i}`]));
  base.workloads = [];
  let size = JSON.stringify(base).length;
  for (let i = 0; size < 4 * 1024 * 1024 - 1024; i += 1) {
    const w = { name: `w-${i}`, replicas: 0, labels };
    size += JSON.stringify(w).length + 1;
    if (size >= 4 * 1024 * 1024 - 1024) break;
    base.workloads.push(w);
  }
  return { link: scenarioLink(base), bytes: JSON.stringify(base).length };
}

test('decoding a share link at the largest size, in wasm', async () => {
  const { page, close } = await openApp('');
  // Each run's milliseconds; the hook ends the list with 1 (decoded) or 0 (refused).
  const decode = async (link) => {
    const out = await page.evaluate(
      ([text, runs]) => Array.from(window.wasmBindings.eksplain_bench_decode_link(text, runs)),
      [link, RUNS],
    );
    return { times: out.slice(0, -1), decoded: out.at(-1) === 1 };
  };
  const largest = largestLink();
  const { times, decoded } = await decode(largest);
  assert.ok(decoded, 'the largest link decodes');
  // The most a link may expand to: its decode is refused or not by the scenario's own limits,
  // either way the main thread pays for reading it.
  const expanded = expandedLink();
  const expandedRun = await decode(expanded.link);
  results.linkDecodeExpandedMs = median(expandedRun.times);
  results.linkDecodeExpandedBytes = expanded.bytes;
  results.linkDecodeExpandedChars = expanded.link.length;
  results.linkDecodeMaxMs = median(times);
  results.linkDecodeMaxChars = largest.length;
  // The 5,000-node cluster as a document (renamed, so it is not its generator's link).
  const scale = JSON.parse(eksplain('example', '--nodes', '5000'));
  scale.name = 'At scale, edited';
  const scaleLink = scenarioLink(scale);
  const { times: scaleTimes, decoded: scaleDecoded } = await decode(scaleLink);
  assert.ok(scaleDecoded, 'the 5,000-node link decodes');
  results.linkDecode5000Ms = median(scaleTimes);
  results.linkDecode5000Chars = scaleLink.length;
  await close();
});

/** The toggle to flip on the open page: the traffic panel's externalTrafficPolicy button for the
 * picked flow's service, else any externalTrafficPolicy field, else (said in the report) the
 * EXTERNALSNAT switch. */
async function findToggle(page) {
  const selectors = [
    '[data-toggle="etp"]:not([aria-pressed="true"])',
    '[data-field$=".externalTrafficPolicy"]',
    '[data-kind="etp-toggle"]',
    '[data-field="cluster.vpcCni.externalSnat"]',
  ];
  for (const s of selectors) {
    if (await page.locator(s).count()) return s;
  }
  assert.fail('a toggle to flip');
}

/** Waits until the page is idle: two frames and a quiet moment, so runs do not overlap. */
const settle = (page) =>
  page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 60)))),
  );

/**
 * The work a toggle makes the page do, timed inside the page: `el.click()` runs Yew's handler
 * and the reducer synchronously (the model's build and the layout) — `handler`; Yew then renders
 * in a microtask and runs the effects; the root component's last effect calls
 * `window.eksplainRendered` (src/ui/bench_hook.rs) — `render`; there the benchmark forces the
 * browser's style recalculation and layout (`offsetHeight`) — `style`. `work` is the sum: no
 * waiting for a frame is included. `frames` counts the frames the browser began meanwhile: when
 * the render takes longer than Yew's 16 ms slice, Yew yields before the effects and a frame (with
 * its style, layout and paint) falls inside the work.
 */
async function workRun(page, selector) {
  return page.evaluate(async (sel) => {
    const el = document.querySelector(sel);
    const done = new Promise((resolve) => {
      window.eksplainRendered = () => {
        window.eksplainRendered = undefined;
        const rendered = performance.now();
        document.body.getBoundingClientRect();
        void document.body.offsetHeight;
        resolve({ rendered, laidOut: performance.now() });
      };
    });
    // Frames the browser began before the work was done: each one painted in the middle of
    // it (Yew yields to the browser once it has rendered for 16 ms).
    let frames = 0;
    let counting = true;
    const count = () => {
      if (counting) {
        frames += 1;
        requestAnimationFrame(count);
      }
    };
    requestAnimationFrame(count);
    const t0 = performance.now();
    if (el.tagName === 'SELECT') {
      el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    } else {
      el.click();
    }
    const handled = performance.now();
    const { rendered, laidOut } = await done;
    counting = false;
    return {
      frames,
      work: laidOut - t0,
      handler: handled - t0,
      render: rendered - handled,
      style: laidOut - rendered,
    };
  }, selector);
}

/**
 * The same toggle as a user's click (Playwright's trusted `page.click`), timed to the paint:
 * `eventTiming` is the browser's Event Timing entry of the click (its duration runs from the
 * input to the next frame presented, in steps of 8 ms; the API reports none under 16 ms, so
 * a missing entry is `null`, read as "under 16 ms"); `frame` is the click's timestamp to the
 * end of the first frame the main thread produced after the render (requestAnimationFrame,
 * then a message).
 */
async function paintRun(page, selector) {
  await page.evaluate(() => {
    window.benchPaint = new Promise((resolve) => {
      let clickAt = null;
      document.addEventListener('click', (e) => (clickAt = e.timeStamp), { capture: true, once: true });
      window.eksplainRendered = () => {
        window.eksplainRendered = undefined;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ clickAt, framed: performance.now() });
          channel.port2.postMessage(null);
        });
      };
    });
  });
  if ((await page.locator(selector).evaluate((e) => e.tagName)) === 'SELECT') {
    const options = await page.locator(`${selector} option`).evaluateAll((os) => os.map((o) => o.value));
    const current = await page.locator(selector).inputValue();
    await page.selectOption(selector, options[(options.indexOf(current) + 1) % options.length]);
  } else {
    await page.click(selector);
  }
  return page.evaluate(async () => {
    const { clickAt, framed } = await window.benchPaint;
    // Event Timing entries arrive after the frame is presented.
    const started = performance.now();
    let entry;
    while (!entry && performance.now() - started < 500) {
      await new Promise((r) => setTimeout(r, 25));
      entry = window.benchEvents.find((e) => e.name === 'click' && Math.abs(e.startTime - clickAt) < 1);
    }
    return { eventTiming: entry ? entry.duration : null, frame: framed - clickAt };
  });
}

/** Medians of `runs` toggles of the page's externalTrafficPolicy (work, then paint). */
async function measureToggle(page, runs) {
  const selector = await findToggle(page);
  await page.evaluate(() => {
    window.benchEvents = [];
    new PerformanceObserver((list) => window.benchEvents.push(...list.getEntries())).observe({
      type: 'event',
      durationThreshold: 16,
    });
  });
  // Two warm-up toggles (the first allocations, the engine's tiering), back where it started.
  for (let i = 0; i < 2; i++) {
    await workRun(page, selector);
    await settle(page);
  }
  const work = [];
  for (let i = 0; i < runs; i++) {
    work.push(await workRun(page, selector));
    await settle(page);
  }
  const paint = [];
  for (let i = 0; i < runs; i++) {
    paint.push(await paintRun(page, selector));
    await settle(page);
  }
  const pick = (rows, key) => rows.map((r) => r[key]);
  return {
    Toggle: selector,
    WorkMs: median(pick(work, 'work')),
    HandlerMs: median(pick(work, 'handler')),
    RenderMs: median(pick(work, 'render')),
    StyleMs: median(pick(work, 'style')),
    FramesDuringWork: median(pick(work, 'frames')),
    EventTimingMs: censoredMedian(pick(paint, 'eventTiming')),
    EventTimingUnder16: paint.filter((r) => r.eventTiming === null).length,
    FrameMs: median(pick(paint, 'frame')),
    Runs: runs,
    WorkRuns: work,
    PaintRuns: paint,
  };
}

/** Adds `m`'s figures to the results as `repaint<nodes><Figure>` (flat: the report reads them). */
function record(nodes, m) {
  for (const [k, v] of Object.entries(m)) results[`repaint${nodes}${k}`] = v;
}

/** Opens the generated cluster of `nodes` nodes by its share link. */
async function openScale(nodes) {
  const dir = join(REPO_ROOT, 'target', 'bench');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `scale-${nodes}.json`);
  await writeFile(file, eksplain('example', '--nodes', String(nodes)));
  const fragment = eksplain('link', file).trim();
  const app = await openApp(fragment);
  // A huge cluster opens zoomed out, drawn as summaries; a small one as nodes.
  await app.page.waitForSelector('[data-kind="node"], [data-kind="summary"]');
  await settle(app.page);
  return app;
}

test('repaint after an externalTrafficPolicy toggle at 100 nodes / 3,000 pods', async () => {
  const { page, errors, close } = await openScale(100);
  record(100, await measureToggle(page, RUNS));
  assert.deepEqual(errors, []);
  await close();
});

test('repaint after an externalTrafficPolicy toggle at 5,000 nodes / 150,000 pods', { timeout: 600000 }, async () => {
  const { page, errors, close } = await openScale(5000);
  record(5000, await measureToggle(page, Math.min(RUNS, 5)));
  assert.deepEqual(errors, []);
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
