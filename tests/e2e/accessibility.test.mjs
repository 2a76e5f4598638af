// Accessibility: axe-core (from npm, injected into the page) reports no violation in each of
// the seven page states issue 16 names, and every diagram text reaches WCAG AA contrast against
// what it is drawn on, in both themes — axe cannot see SVG text, so that is measured here:
// the text's fill against its halo or the shapes under it, opacities composited.
// Screenshots: a11y-<state>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openApp, screenshot, scenarioLink, REPO_ROOT } from './harness.mjs';

/** A scenario with flows (the ETP lesson), so the traffic panel has a trace to show. */
const ETP = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page (WCAG 2.x A and AA plus best practices); the violations, readable. */
async function axe(page) {
  // Evaluated by the debugger protocol, so the page's CSP (no inline script) does not apply.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 40).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 3).join(' ')}`),
      count: v.nodes.length,
    }));
  });
  return violations;
}

function report(violations) {
  return violations.map((v) => `${v.id} (${v.impact}, ${v.count}):\n    ${v.nodes.join('\n    ')}`).join('\n');
}

/**
 * Installs `window.eksplainContrast` in the page (once per page):
 * - `texts(root)`: every visible diagram text below AA — 4.5:1, or 3:1 from 24 px (18.66 px
 *   bold) on screen — against its halo or the shapes under it, opacities composited; a text
 *   something opaque covers (a flow stop on a pod's label) is not read there;
 * - `outlines(selector)`: every matched shape whose stroke is below 3:1 against what lies just
 *   outside its left edge (WCAG 1.4.11, the lines that carry meaning).
 * Each gives `{ checked, low: [{ text, cls, ratio, need, fg, bg }] }`.
 */
async function installContrast(page) {
  await page.evaluate(() => {
    if (window.eksplainContrast) return;
    const parse = (c) => {
      const m = /rgba?\(([^)]*)\)/.exec(c || '');
      if (!m) return null;
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const over = (top, under) => ({
      r: top.r * top.a + under.r * (1 - top.a),
      g: top.g * top.a + under.g * (1 - top.a),
      b: top.b * top.a + under.b * (1 - top.a),
      a: 1,
    });
    const lin = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
    const ratio = (x, y) => {
      const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
      return (a + 0.05) / (b + 0.05);
    };
    const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
    const opacity = (el) => {
      let a = 1;
      for (let e = el; e && e !== document.documentElement; e = e.parentElement) a *= parseFloat(getComputedStyle(e).opacity || '1');
      return a;
    };
    const htmlBackground = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      let bg = { r: 255, g: 255, b: 255, a: 1 };
      for (const c of layers.reverse()) bg = over(c, bg);
      return bg;
    };
    const shapes = new Set(['rect', 'circle', 'ellipse', 'path', 'polygon']);
    const paint = (e, property = 'fill') => {
      const s = getComputedStyle(e);
      const c = parse(s[property]);
      if (!c || s[property] === 'none') return null;
      const own = property === 'fill' ? s.fillOpacity : s.strokeOpacity;
      return { ...c, a: c.a * parseFloat(own || '1') * opacity(e) };
    };
    // The animated dot that runs along a flow passes over everything: not a background.
    const moving = (e) => e.classList.contains('flow-dot');
    /** The colour the elements of `stack` (top first) paint, down to the page. */
    const backgroundOf = (stack, svg) => {
      const layers = [];
      let base = null;
      for (const e of stack) {
        if (e.closest('text')) continue;
        if (!(e instanceof SVGElement) || e.tagName === 'svg') {
          base = htmlBackground(e);
          break;
        }
        if (!shapes.has(e.tagName) || moving(e)) continue;
        const c = paint(e);
        if (!c || c.a <= 0) continue;
        layers.push(c);
        if (c.a >= 1) break;
      }
      let bg = base || htmlBackground(svg);
      for (const c of layers.reverse()) bg = over(c, bg);
      return bg;
    };
    /** Runs `f` while every shape is hit-tested whatever its pointer-events (a constructed
     * sheet: the page's CSP refuses a <style> element). */
    const hitTesting = (f) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('svg * { pointer-events: visiblePainted !important; }');
      const before = document.adoptedStyleSheets;
      document.adoptedStyleSheets = [...before, sheet];
      try {
        return f();
      } finally {
        document.adoptedStyleSheets = before;
      }
    };
    const onScreen = (x, y) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;

    const texts = (root) =>
      hitTesting(() => {
        const low = [];
        let checked = 0;
        for (const svg of document.querySelectorAll(root)) {
          for (const text of svg.querySelectorAll('text')) {
            const box = text.getBoundingClientRect();
            if (box.width < 1 || box.height < 1 || !text.textContent.trim()) continue;
            const cs = getComputedStyle(text);
            if (cs.visibility === 'hidden' || cs.display === 'none') continue;
            const x = box.left + box.width / 2;
            const y = box.top + box.height / 2;
            if (!onScreen(x, y)) continue;
            const fill = paint(text);
            if (!fill) continue;
            const hit = document.elementsFromPoint(x, y);
            const at = hit.indexOf(text);
            if (at < 0 || hit.slice(0, at).some((e) => shapes.has(e.tagName) && !moving(e) && (paint(e)?.a ?? 0) >= 1)) continue;
            let bg = backgroundOf(hit.slice(at + 1), svg);
            // A halo (a stroke painted under the fill) is what the glyphs sit on.
            const halo = paint(text, 'stroke');
            if (halo && parseFloat(cs.strokeWidth) >= 2 && /^stroke/.test(cs.paintOrder)) bg = over(halo, bg);
            const fg = over(fill, bg);
            const px = parseFloat(cs.fontSize) * (text.getScreenCTM()?.a || 1);
            const need = px >= 24 || (parseInt(cs.fontWeight, 10) >= 700 && px >= 18.66) ? 3 : 4.5;
            const r = ratio(fg, bg);
            checked += 1;
            if (r + 1e-6 < need) low.push({ text: text.textContent.trim().slice(0, 40), cls: text.getAttribute('class'), ratio: Math.round(r * 100) / 100, need, fg: hex(fg), bg: hex(bg) });
          }
        }
        return { checked, low };
      });

    const outlines = (selector) =>
      hitTesting(() => {
        const low = [];
        let checked = 0;
        for (const shape of document.querySelectorAll(selector)) {
          const box = shape.getBoundingClientRect();
          const stroke = paint(shape, 'stroke');
          if (box.width < 4 || box.height < 4 || !stroke) continue;
          const x = box.left - 3;
          const y = box.top + box.height / 2;
          if (!onScreen(x, y)) continue;
          const svg = shape.ownerSVGElement;
          const bg = backgroundOf(document.elementsFromPoint(x, y).filter((e) => e !== shape), svg);
          const fg = over(stroke, bg);
          const r = ratio(fg, bg);
          checked += 1;
          if (r + 1e-6 < 3) {
            const kind = shape.closest('[data-kind]');
            low.push({ text: `${kind?.dataset.kind} ${kind?.dataset.id ?? ''}`, cls: shape.parentElement.getAttribute('class'), ratio: Math.round(r * 100) / 100, need: 3, fg: hex(fg), bg: hex(bg) });
          }
        }
        return { checked, low };
      });

    window.eksplainContrast = { texts, outlines };
  });
}

async function lowContrastTexts(page, root) {
  await installContrast(page);
  return page.evaluate((root) => window.eksplainContrast.texts(root), root);
}

async function lowContrastOutlines(page, selector) {
  await installContrast(page);
  return page.evaluate((selector) => window.eksplainContrast.outlines(selector), selector);
}

async function state(name, open, prepare = async () => {}) {
  const { page, errors, close } = await open();
  try {
    await prepare(page);
    await page.waitForTimeout(300);
    await screenshot(page, `a11y-${name}.png`);
    const violations = await axe(page);
    assert.deepEqual(violations.map((v) => v.id), [], `axe-core in "${name}":\n${report(violations)}`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
}

const diagram = (opts) => async () => {
  const app = await openApp(opts?.path ?? '', opts);
  await app.page.waitForSelector('svg [data-kind="vpc"]');
  return app;
};

test('axe-core: the default page', () => state('default', diagram()));

test('axe-core: the traffic panel open', () =>
  state('traffic', diagram({ path: scenarioLink(ETP) }), async (page) => {
    const show = page.locator('[data-action="show-trace"]');
    if (await show.count()) await show.click();
    await page.waitForSelector('[data-kind="flow-panel"] [data-kind="hop"]');
  }));

test('axe-core: the inspector open', () =>
  state('inspector', diagram(), async (page) => {
    await page.locator('[data-id="node:ng-1-1"]').click({ position: { x: 14, y: 12 } });
    await page.waitForSelector('[data-kind="inspector"][data-selected="node:ng-1-1"]');
  }));

test('axe-core: the architecture view', () =>
  state('architecture', diagram(), async (page) => {
    await page.locator('[data-view="architecture"]').click();
    await page.waitForSelector('[data-kind="arch-part"]');
  }));

test('axe-core: embed.html', () =>
  state('embed', async () => {
    const app = await openApp('embed.html', { waitForApp: false });
    await app.page.waitForSelector('svg [data-kind="vpc"]');
    return app;
  }));

test('axe-core: the dark theme', () => state('dark', diagram({ colorScheme: 'dark' })));

test('axe-core: a 390×844 phone', () => state('phone', diagram({ viewport: { width: 390, height: 844 } })));

for (const colorScheme of ['light', 'dark']) {
  test(`every diagram text reaches AA contrast and every outline 3:1 (${colorScheme})`, async () => {
    const { page, errors, close } = await openApp(scenarioLink(ETP), { colorScheme, viewport: { width: 1600, height: 1000 } });
    try {
      await page.waitForSelector('svg [data-kind="vpc"]');
      // The whole diagram with a trace on it, then the architecture view.
      const show = page.locator('[data-action="show-trace"]');
      if (await show.count()) await show.click();
      await page.waitForSelector('[data-kind="flow-panel"] [data-kind="hop"]');
      const { checked, low } = await lowContrastTexts(page, 'main svg');
      // The first view draws only the labels that read at 11 px or more (names of subnets,
      // nodes, gateways: 22 at 1600×1000 with the traffic panel open); zoomed in, below, all.
      assert.ok(checked > 15, `measured ${checked} texts`);
      assert.deepEqual(low, [], `texts below AA in ${colorScheme}`);
      // The boxes that say what a thing is (VPC, AZ, subnet, node, ENI, control plane) and the
      // traced path: 3:1 against what is around them.
      const lines = await lowContrastOutlines(page, 'main svg :is(.k-vpc, .k-az, .k-subnet, .k-node, .k-eni, .k-control-plane) > .box');
      assert.ok(lines.checked > 10, `measured ${lines.checked} outlines`);
      assert.deepEqual(lines.low, [], `outlines below 3:1 in ${colorScheme}`);
      // Zoomed in, the labels the first view leaves out (addresses, pods) are drawn: them too.
      for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: /^Zoom in/ }).click();
      await page.waitForTimeout(300);
      const zoomed = await lowContrastTexts(page, 'main svg');
      assert.ok(zoomed.checked > 30, `measured ${zoomed.checked} texts zoomed in`);
      assert.deepEqual(zoomed.low, [], `texts below AA zoomed in, in ${colorScheme}`);
      await screenshot(page, `contrast-${colorScheme}-zoomed.png`);
      await page.locator('[data-view="architecture"]').click();
      await page.waitForSelector('[data-kind="arch-part"]');
      const arch = await lowContrastTexts(page, 'main svg');
      assert.ok(arch.checked > 5, `measured ${arch.checked} architecture texts`);
      assert.deepEqual(arch.low, [], `architecture texts below AA in ${colorScheme}`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}
