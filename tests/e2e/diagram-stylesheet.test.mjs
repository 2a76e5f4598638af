// The diagram's own stylesheet (issue 17): www/diagram.css holds what the drawn diagram (every
// view), the palette and embed.html's chrome need; www/style.css the editor's rules. embed.html
// loads diagram.css alone, and the SVG export inlines it alone. Two checks that fail when a rule
// the diagram needs was left in style.css:
//
// 1. embed.html, for several scenarios and views (the network diagram, the architecture view,
//    traced flows, the dark theme, a phone): the computed style of every element (and its
//    ::before/::after) is read, the editor's stylesheet is then added after the diagram's — as
//    index.html links them — and every property must read the same: no rule of style.css
//    applies to anything the embed page shows.
// 2. index.html, the same scenarios and views, with a node selected: every element inside the
//    drawn SVG reads the same with style.css disabled (but for the used sizes the editor's
//    layout gives the <svg>), so the diagram draws with diagram.css alone — which is what an
//    exported SVG carries.
//
// Screenshots (target/e2e/screenshots/): diagram-css-embed-*.png, diagram-css-editor-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, scenarioLink, DIST_DIR, REPO_ROOT } from './harness.mjs';

const scenario = (file) => readFileSync(join(REPO_ROOT, 'static/scenarios', file), 'utf8');
const SCENARIOS = {
  default: scenario('default.json'),
  etp: scenario('gallery/etp-cluster-vs-local.json'),
  prefix: scenario('gallery/prefix-delegation.json'),
  sgp: scenario('gallery/security-groups-for-pods.json'),
  small: scenario('gallery/small-subnets.json'),
};
const flow = (id) => `flow=${encodeURIComponent(id)}`;

/** The stylesheets dist/index.html links, in order (trunk's hashed names). */
function sheets() {
  const html = readFileSync(join(DIST_DIR, 'index.html'), 'utf8');
  return [...html.matchAll(/<link rel="stylesheet"[^>]*href="\.\/([^"]+\.css)"/g)].map((m) => m[1]);
}

/** `[key, { property: value }]` for every element under `root` (and its drawn pseudo-elements). */
function computedStyles(root) {
  const out = [];
  const scope = document.querySelector(root);
  if (!scope) return out;
  const els = [scope, ...scope.querySelectorAll('*')];
  els.forEach((el, i) => {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (pseudo && cs.content === 'none') continue;
      const props = {};
      for (const p of cs) props[p] = cs.getPropertyValue(p);
      const kind = el.getAttribute('data-kind') ?? '';
      out.push([`${i} <${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}" data-kind="${kind}">${pseudo ?? ''}`, props]);
    }
  });
  return out;
}

/**
 * Used sizes and what follows from them: the editor's layout (style.css) sizes the <svg>'s box,
 * which the diagram fills, and each origin is the centre of an element's box.
 */
const GEOMETRY = new Set(['width', 'height', 'block-size', 'inline-size', 'perspective-origin', 'transform-origin']);

/**
 * Every property of `after` that differs from `before` (the same elements, in order), but those
 * of `ignored`.
 */
function differences(before, after, ignored = new Set()) {
  assert.equal(after.length, before.length, 'the same elements');
  const found = [];
  before.forEach(([key, props], i) => {
    assert.equal(after[i][0], key);
    for (const [p, v] of Object.entries(props)) {
      if (!ignored.has(p) && after[i][1][p] !== v) found.push(`${key} ${p}: ${v} → ${after[i][1][p]}`);
    }
  });
  return found;
}

/** Waits for what the page draws: the diagram, the architecture view or the problems. */
async function drawn(page) {
  await page.waitForSelector('[data-kind="vpc"], [data-kind="architecture"], [data-kind="problems"]', { state: 'attached' });
  // Fonts, the fit and the frame height settle.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.mouse.move(0, 0);
}

const EMBED_CASES = [
  ['default', SCENARIOS.default, '', {}],
  ['architecture', SCENARIOS.default, '?view=architecture', {}],
  ['flow', SCENARIOS.default, `?${flow('kubectl->apiserver')}`, {}],
  ['flow-dark', SCENARIOS.etp, `?${flow('internet->service/web-cluster')}&theme=dark&controls=0`, {}],
  ['system-dark', SCENARIOS.default, '', { colorScheme: 'dark' }],
  ['etp-local', SCENARIOS.etp, `?${flow('internet->service/web-local')}`, {}],
  ['prefix', SCENARIOS.prefix, '', {}],
  ['sgp', SCENARIOS.sgp, '', { colorScheme: 'dark' }],
  ['small-subnets', SCENARIOS.small, '', {}],
  ['phone', SCENARIOS.default, '', { viewport: { width: 380, height: 700 } }],
  ['link-error', null, '', {}],
];

for (const [name, json, query, options] of EMBED_CASES) {
  test(`embed.html (${name}): no rule of the editor's stylesheet applies to it`, async () => {
    const [diagramCss, editorCss] = sheets();
    assert.match(diagramCss, /^diagram-[0-9a-f]+\.css$/);
    assert.match(editorCss, /^style-[0-9a-f]+\.css$/);
    const embedHtml = readFileSync(join(DIST_DIR, 'embed.html'), 'utf8');
    assert.ok(embedHtml.includes(diagramCss), 'embed.html links diagram.css');
    assert.ok(!embedHtml.includes(editorCss), 'embed.html does not link style.css');
    const fragment = json === null ? '#s=1.%%%' : scenarioLink(json);
    const { page, errors, close } = await openApp(`embed.html${query}${fragment}`, { waitForApp: false, ...options });
    try {
      if (json === null) await page.waitForSelector('[data-kind="link-error"]');
      if (query.includes('flow=')) await page.waitForSelector('[data-kind="flow-path"]', { state: 'attached' });
      await drawn(page);
      if (name === 'default') await screenshot(page, 'diagram-css-embed-default.png');
      if (name === 'architecture') await screenshot(page, 'diagram-css-embed-architecture.png');
      if (name === 'flow-dark') await screenshot(page, 'diagram-css-embed-flow-dark.png');
      const sheetsNow = await page.evaluate(() => [...document.styleSheets].map((s) => s.href?.split('/').pop()));
      assert.deepEqual(sheetsNow.filter(Boolean), [diagramCss], 'the page loads diagram.css only');
      const before = await page.evaluate(computedStyles, 'body');
      assert.ok(before.length > 50, `${before.length} elements`);
      await page.evaluate(async (href) => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        const loaded = new Promise((ok, fail) => {
          link.onload = ok;
          link.onerror = fail;
        });
        document.querySelector('link[rel="stylesheet"]').after(link);
        await loaded;
      }, `./${editorCss}`);
      const withEditor = await page.evaluate(() => [...document.styleSheets].length);
      assert.equal(withEditor, 2, 'the editor sheet was added');
      const after = await page.evaluate(computedStyles, 'body');
      const changed = differences(before, after);
      assert.deepEqual(changed.slice(0, 20), [], `${changed.length} properties changed`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}

const EDITOR_CASES = [
  ['default', SCENARIOS.default, '', {}],
  ['architecture', SCENARIOS.default, '&view=architecture', {}],
  ['flow', SCENARIOS.etp, `&${flow('internet->service/web-local')}`, {}],
  ['dark', SCENARIOS.etp, `&${flow('internet->service/web-cluster')}`, { colorScheme: 'dark' }],
  ['prefix', SCENARIOS.prefix, '', {}],
  ['small-subnets', SCENARIOS.small, '', {}],
];

for (const [name, json, query, options] of EDITOR_CASES) {
  test(`index.html (${name}): the diagram draws the same without the editor's stylesheet`, async () => {
    const { page, errors, close } = await openApp(`${scenarioLink(json)}${query}`, {
      viewport: { width: 1600, height: 1000 },
      ...options,
    });
    try {
      if (query.includes('flow=')) await page.waitForSelector('[data-kind="flow-path"]', { state: 'attached' });
      await drawn(page);
      // A node selected (not in the architecture view): its selection is drawn too.
      const node = page.locator('svg [data-kind="node"]').first();
      if (await node.count()) {
        await node.click();
        await page.waitForSelector('[data-kind="inspector"]');
        await page.mouse.move(0, 0);
        await page.waitForTimeout(200);
      }
      if (name === 'default') await screenshot(page, 'diagram-css-editor-default.png');
      if (name === 'dark') await screenshot(page, 'diagram-css-editor-dark.png');
      const svg = name === 'architecture' ? '[data-kind="architecture"]' : '[data-kind="diagram"] svg.diagram-svg';
      const both = await page.evaluate(computedStyles, svg);
      assert.ok(both.length > 20, `${both.length} elements in ${svg}`);
      const disabled = await page.evaluate(() => {
        const editor = [...document.styleSheets].filter((s) => /\/style-[0-9a-f]+\.css$/.test(s.href ?? ''));
        for (const sheet of editor) sheet.disabled = true;
        return editor.length;
      });
      assert.equal(disabled, 1, "the editor's stylesheet, disabled");
      const diagramOnly = await page.evaluate(computedStyles, svg);
      const changed = differences(both, diagramOnly, GEOMETRY);
      assert.deepEqual(changed.slice(0, 20), [], `${changed.length} properties changed`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}

test("Export SVG inlines the diagram's stylesheet, none of the editor's", async () => {
  const { page, errors, close } = await openApp(scenarioLink(SCENARIOS.default), { viewport: { width: 1600, height: 1000 } });
  try {
    await drawn(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-svg"]')]);
    const svg = await readFile(await download.path(), 'utf8');
    const style = svg.slice(svg.indexOf('<style'), svg.indexOf('</style>'));
    for (const rule of ['.eksplain-export', '.k-subnet', '.cell.s-warm', '.t-heading']) {
      assert.ok(style.includes(rule), `${rule} in the export's stylesheet`);
    }
    for (const rule of ['.inspector', '.subnet-item', '.import-dialog', '.topbar']) {
      assert.ok(!style.includes(rule), `${rule}, the editor's, in the export's stylesheet`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
