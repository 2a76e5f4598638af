// embed.html loads its own wasm (issue 17): the embed module (src/bin/eksplain_embed.rs), not
// the editor's. What the page fetches, read from the browser's resource timing: none of the
// editor's scripts or wasm, exactly one wasm, a different file from the editor's, fetched once
// (the page's preload is what the glue's fetch uses). The files come from www/post_build.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, scenarioLink, DIST_DIR, REPO_ROOT } from './harness.mjs';

const DEFAULT = JSON.parse(await readFile(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));

/** The file names (last path segment) of every resource the page at `path` fetched once drawn. */
async function fetched(path) {
  const { page, errors, close } = await openApp(path, { waitForApp: false });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const names = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop()),
    );
    assert.deepEqual(errors, []);
    return names;
  } finally {
    await close();
  }
}

const code = (names) => names.filter((n) => /\.(js|wasm)$/.test(n));

test("embed.html fetches no file of the editor, and a wasm of its own", async () => {
  const link = scenarioLink(DEFAULT);
  const editor = code(await fetched(link));
  const embed = await fetched(`embed.html${link}`);
  const editorWasm = editor.filter((n) => n.endsWith('.wasm'));
  assert.equal(editorWasm.length, 1, `the editor's wasm: ${editor}`);
  assert.match(editorWasm[0], /^eksplain-web-[0-9a-f]+_bg\.wasm$/);
  for (const name of code(embed)) {
    assert.ok(!editor.includes(name), `embed.html fetched ${name}, a file of the editor`);
    assert.doesNotMatch(name, /^(eksplain-web|eksplain-import|init)-/, name);
  }
  const wasm = embed.filter((n) => n.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm, fetched once (its preload used): ${embed}`);
  assert.match(wasm[0], /^eksplain-embed-[0-9a-f]{16}_bg\.wasm$/);
  assert.notEqual(wasm[0], editorWasm[0]);
  // The page as served names nothing of the editor either (no preload left behind).
  const html = await readFile(join(DIST_DIR, 'embed.html'), 'utf8');
  assert.doesNotMatch(html, /(?:src|href|content)="[^"]*(?:eksplain-web|eksplain-import|\/init-)/);
  assert.ok(html.includes(wasm[0]));
});
