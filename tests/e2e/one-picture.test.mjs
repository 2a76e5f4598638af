// One picture: the page's diagram, embed.html with the same options, the page's exported SVG
// and `eksplain render` draw the same things. For every gallery scenario, both views, with and
// without its first flow, the set of (data-kind, data-id) — or, for the traced path's pieces,
// the id they stand at (`data-at`, `data-pod-id`, `data-node`) — is the same in all four.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { REPO_ROOT, cli, openApp, scenarioLink, screenshot } from './harness.mjs';

const GALLERY = join(REPO_ROOT, 'static', 'scenarios', 'gallery');

/** What a document draws, as sorted `kind id` lines: every `[data-kind]` under `root`. */
function drawn(root) {
  const lines = new Set();
  for (const e of root.querySelectorAll('[data-kind]')) {
    const get = (k) => e.getAttribute(k);
    const id = get('data-id') ?? get('data-at') ?? get('data-pod-id') ?? get('data-node') ?? '';
    lines.add(`${get('data-kind')} ${id}`);
  }
  return [...lines].sort();
}

/** `drawn` of an SVG document's text, parsed in a blank page (no CSP, no app). */
async function drawnInText(context, text) {
  const blank = await context.newPage();
  try {
    const root = await blank.evaluateHandle((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      return doc.querySelector('parsererror') ?? doc.documentElement;
    }, text);
    const error = await root.evaluate((r) => (r.localName === 'parsererror' ? r.textContent : undefined));
    if (error !== undefined) return { error };
    return { lines: await root.evaluate(drawn) };
  } finally {
    await blank.close();
  }
}

/** The diagram's root in the page or the embed: the network SVG or the architecture SVG. */
function diagramSelector(view) {
  return view === 'architecture' ? 'svg[data-kind="architecture"]' : 'svg.diagram-svg';
}

async function drawnInPage(page, view) {
  const sel = diagramSelector(view);
  await page.waitForSelector(sel);
  return page.$eval(sel, drawn);
}

const scenarios = (await readdir(GALLERY)).filter((f) => f.endsWith('.json')).sort();

for (const file of scenarios) {
  const text = await readFile(join(GALLERY, file), 'utf8');
  const scenario = JSON.parse(text);
  const first = scenario.flows?.[0] ? `${scenario.flows[0].from}->${scenario.flows[0].to}` : null;
  for (const view of ['network', 'architecture']) {
    for (const flow of first ? [null, first] : [null]) {
      const name = `${file} · ${view} · ${flow ?? 'no flow'}`;
      test(`one picture: ${name}`, async () => {
        // The page: the view picked, the flow shown (the scenario's first) or the trace hidden.
        const { context, page, errors, close } = await openApp(scenarioLink(text));
        try {
          await page.waitForSelector('[data-kind="vpc"]');
          if (!flow && first) {
            await page.click('[data-kind="flow-panel"] [data-action="hide-trace"]');
            await page.waitForSelector('[data-kind="flow-path"]', { state: 'detached' });
          }
          if (flow) await page.waitForSelector('[data-kind="flow-path"]', { state: 'attached' });
          if (view === 'architecture') {
            await page.click('[data-kind="view-toggle"] [data-view="architecture"]');
          }
          const inPage = await drawnInPage(page, view);
          assert.ok(inPage.length > 10, `${name}: the page draws ${inPage.length} things`);

          // The page's Export SVG: what the user sees.
          const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-svg"]')]);
          const exported = await drawnInText(context, await readFile(await download.path(), 'utf8'));
          assert.equal(exported.error, undefined, `${name}: the export parses`);

          // embed.html with the same options.
          const query = new URLSearchParams({ view, ...(flow ? { flow } : {}) });
          const embed = await context.newPage();
          await embed.goto(new URL(`embed.html?${query}#${page.url().split('#')[1]}`, page.url()).href);
          if (flow && view === 'network') await embed.waitForSelector('[data-kind="flow-path"]', { state: 'attached' });
          const inEmbed = await drawnInPage(embed, view);

          // eksplain render with the same options.
          const dir = await mkdtemp(join(tmpdir(), 'eksplain-one-picture-'));
          const out = join(dir, 'out.svg');
          cli(['render', join(GALLERY, file), '-o', out, '--view', view, ...(flow ? ['--flow', flow] : [])]);
          const rendered = await drawnInText(context, await readFile(out, 'utf8'));
          assert.equal(rendered.error, undefined, `${name}: the render parses`);

          assert.deepEqual(inEmbed, inPage, `${name}: embed.html draws what the page draws`);
          assert.deepEqual(exported.lines, inPage, `${name}: Export SVG draws what the page draws`);
          assert.deepEqual(rendered.lines, inPage, `${name}: eksplain render draws what the page draws`);
          if (file === 'etp-cluster-vs-local.json' && flow && view === 'network') {
            for (const kind of ['lb', 'lb-node', 'service', 'flow-path', 'flow-stop', 'share']) {
              assert.ok(inPage.some((l) => l.startsWith(`${kind} `)), `${name}: draws ${kind}`);
            }
            await screenshot(page, 'one-picture-page.png');
            await screenshot(embed, 'one-picture-embed.png');
          }
          assert.deepEqual(errors, []);
        } finally {
          await close();
        }
      });
    }
  }
}
