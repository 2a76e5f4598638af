// `.eksplain.svg` files (issue 15): an SVG that is both the picture and the document. The
// page's SVG download and `eksplain render -o DIR/` name files `NAME.eksplain.svg`; Open… and
// a drop on the page restore the scenario from the file's `<metadata>`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openApp, screenshot, cli, REPO_ROOT } from './harness.mjs';

const OPEN = '[data-kind="import"] input';
const NODES = '[data-field="managedNodeGroups[0].desiredCapacity"]';

/** The scenario the page has open, as JSON (its URL fragment decoded by `eksplain link`). */
async function openScenario(page) {
  return JSON.parse(cli(['link', '--decode', await page.evaluate(() => location.hash)]));
}

/** Waits until the page's URL carries `expected` (it is written just after the diagram). */
async function waitForScenario(page, expected) {
  const deadline = Date.now() + 10000;
  let open;
  do {
    open = await openScenario(page);
    if (JSON.stringify(open) === JSON.stringify(expected)) break;
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
  assert.deepEqual(open, expected, 'the scenario the page has open');
}

/** The scenario JSON in an SVG file's `<metadata>`, read in a blank page (not the app's CSP). */
async function metadataOf(context, text) {
  const blank = await context.newPage();
  try {
    return JSON.parse(await blank.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      return doc.querySelector('metadata#eksplain-scenario')?.textContent ?? 'null';
    }, text));
  } finally {
    await blank.close();
  }
}

/** Drops a file named `name` holding `text` on the diagram, as a user dragging it in. */
async function drop(page, name, text) {
  const transfer = await page.evaluateHandle(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'image/svg+xml' }));
    return dt;
  }, [name, text]);
  await page.dispatchEvent('[data-kind="diagram"]', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('[data-kind="diagram"]', 'drop', { dataTransfer: transfer });
}

test('an .eksplain.svg written by eksplain render opens in the page, by Open… and by a drop', async () => {
  const source = join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json');
  const dir = await mkdtemp(join(tmpdir(), 'eksplain-svg-'));
  // `-o DIR/`: the file is named after the scenario, and its path printed.
  const file = cli(['render', source, '-o', `${dir}/`, '--flow', 'internet->service/web-cluster']).trim();
  assert.match(basename(file), /^[a-z0-9-]+\.eksplain\.svg$/);
  const text = await readFile(file, 'utf8');

  const { context, page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    assert.equal(await page.locator('[data-kind="lb"]').count(), 0, 'the default scenario has no load balancer');
    const accept = (await page.getAttribute(OPEN, 'accept')).split(',');
    assert.ok(accept.includes('.eksplain.svg'), `Open… accepts .eksplain.svg: ${accept}`);
    const expected = await metadataOf(context, text);
    assert.equal(expected.name, JSON.parse(await readFile(source, 'utf8')).name);

    // Open… with the file as it is on disk.
    await page.setInputFiles(OPEN, file);
    await page.waitForSelector('[data-kind="lb"]');
    assert.match(await page.textContent('[data-kind="share-status"]'), new RegExp(`Opened “${expected.name}”`));
    await waitForScenario(page, expected);
    await screenshot(page, 'eksplain-svg-opened.png');

    // Back to the default scenario, then the same file dropped on the page.
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="lb"]').length === 0);
    await drop(page, basename(file), text);
    await page.waitForSelector('[data-kind="lb"]');
    await waitForScenario(page, expected);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("the page's SVG download is NAME.eksplain.svg and opens again in the page", async () => {
  const { context, page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-kind="export-svg"]')]);
    const name = download.suggestedFilename();
    assert.equal(name, 'three-azs-one-node-group.eksplain.svg');
    const text = await readFile(await download.path(), 'utf8');
    const original = await metadataOf(context, text);
    assert.equal(original.name, 'Three AZs, one node group');

    // A change, then the download opened with Open… under its own name: the change is gone.
    const edit = async () => {
      await page.fill(NODES, '6');
      await page.locator(NODES).blur();
      await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 6);
      const changed = structuredClone(original);
      changed.managedNodeGroups[0].desiredCapacity = 6;
      await waitForScenario(page, changed);
    };
    await edit();
    await page.setInputFiles(OPEN, { name, mimeType: 'image/svg+xml', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 3);
    await waitForScenario(page, original);

    // And dropped on the page.
    await edit();
    await drop(page, name, text);
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 3);
    await waitForScenario(page, original);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
