// The Import… dialog (issue 13): files chosen or dropped are read by the import module — a
// second wasm module, run as a web worker, that the page fetches only when the dialog opens —
// the dialog shows the notes before anything changes, Apply draws the imported cluster as one
// history step, and Back brings back the one before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT } from './harness.mjs';

// The files imported together (relative to the repository), and what the import must give:
// a subnet the imported cluster draws that the default one does not, and the groups of notes
// the dialog must show.
// The EKS Workshop's eksctl ClusterConfig and its NLB Service (tests/fixtures/import, the real
// inputs copied unchanged).
const INPUTS = [
  { file: 'tests/fixtures/import/eks-workshop-eksctl-cluster.yaml', mimeType: 'application/yaml' },
  { file: 'tests/fixtures/import/eks-workshop-nlb-service.yaml', mimeType: 'application/yaml' },
];
const EXPECT = {
  subnet: 'subnet:public-us-east-1a',
  noteGroups: ['default', 'ignored', 'placeholder'],
};

/** The inputs as playwright file payloads. */
async function inputFiles() {
  return Promise.all(
    INPUTS.map(async ({ file, mimeType }) => ({
      name: file.split('/').pop(),
      mimeType,
      buffer: await readFile(join(REPO_ROOT, file)),
    })),
  );
}

/** Every request of the page and of its workers, in order. */
function recordRequests(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('worker', (w) => urls.push(`worker:${w.url()}`));
  return urls;
}

test('import two files: the notes show, Apply draws the cluster, Back restores the one before', async () => {
  const { page, errors, close } = await openApp('', { waitForApp: false });
  const requests = recordRequests(page);
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const before = await page.locator('[data-kind="subnet"]').count();
    assert.equal(await page.locator(`[data-id="${EXPECT.subnet}"]`).count(), 0, 'the default cluster lacks the subnet');
    // Let the page settle (the autosave, the first URL write), then nothing of the import
    // module has been fetched: it is neither preloaded nor injected.
    await page.waitForFunction(() => location.hash.startsWith('#s=1.'));
    assert.deepEqual(requests.filter((u) => u.includes('eksplain-import')), [], 'the import module is not fetched at load');
    assert.equal(await page.locator('meta[name="eksplain-import-module"]').count(), 1);

    // Open the dialog: a modal dialog named by its heading, focus inside it.
    await page.click('[data-kind="import-dialog-open"]');
    const dialog = page.locator('[data-kind="import-dialog"]');
    await dialog.waitFor();
    assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true, 'a modal dialog');
    const label = await dialog.getAttribute('aria-labelledby');
    assert.equal(await page.locator(`#${label}`).textContent(), 'Import a cluster');
    assert.equal(await dialog.evaluate((d) => d.contains(document.activeElement)), true, 'focus is in the dialog');

    // Choose the files (the input behind "Choose files…").
    await page.setInputFiles('[data-kind="import-files"]', await inputFiles());
    await page.waitForSelector('[data-kind="import-notes"]');
    for (const group of EXPECT.noteGroups) {
      assert.ok(await dialog.locator(`[data-group="${group}"] li`).count() > 0, `notes of the group ${group}`);
    }
    const listed = await dialog.locator('[data-kind="import-inputs"]').textContent();
    for (const { file } of INPUTS) assert.ok(listed.includes(file.split('/').pop()), `${file} is listed: ${listed}`);
    assert.ok(requests.some((u) => u.includes('eksplain-import-') && u.endsWith('_loader.js')), `the import module's loader was fetched: ${requests.join(' ')}`);
    // Nothing changed yet.
    assert.equal(await page.locator(`[data-id="${EXPECT.subnet}"]`).count(), 0, 'the diagram waits for Apply');
    await screenshot(page, 'import-dialog.png');

    // Apply: the imported cluster, one history step.
    await page.click('[data-kind="import-apply"]');
    await page.waitForSelector(`[data-id="${EXPECT.subnet}"]`);
    assert.equal(await dialog.count(), 0, 'the dialog closed');
    assert.equal(
      await page.evaluate(() => document.activeElement?.dataset.kind),
      'import-dialog-open',
      'focus is back on the Import… button',
    );
    await screenshot(page, 'import-applied.png');

    // Back: the cluster before.
    await page.goBack();
    await page.waitForFunction((id) => !document.querySelector(`[data-id="${id}"]`), EXPECT.subnet);
    assert.equal(await page.locator('[data-kind="subnet"]').count(), before);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a file dropped on the dialog is read by the import module; Escape closes it', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await page.click('[data-kind="import-dialog-open"]');
    const files = await inputFiles();
    const transfer = await page.evaluateHandle((payload) => {
      const dt = new DataTransfer();
      for (const { name, mimeType, text } of payload) dt.items.add(new File([text], name, { type: mimeType }));
      return dt;
    }, files.map(({ name, mimeType, buffer }) => ({ name, mimeType, text: buffer.toString('utf8') })));
    await page.dispatchEvent('[data-kind="import-drop"]', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('[data-kind="import-drop"]', 'drop', { dataTransfer: transfer });
    await page.waitForSelector('[data-kind="import-notes"]');
    // The page's own drop (Open a scenario) did not take the files.
    assert.equal(await page.locator(`[data-id="${EXPECT.subnet}"]`).count(), 0);

    // Text that is no scenario: problems, and Apply stays off.
    await page.fill('[data-kind="import-paste"]', 'kind: [unclosed');
    await page.click('[data-kind="import-read"]');
    await page.waitForSelector('[data-kind="import-problems"]');
    assert.equal(await page.locator('[data-kind="import-apply"]').isDisabled(), true);
    await screenshot(page, 'import-problems.png');

    // A cluster the model refuses: its problems, and the notes made on the way, which explain
    // them (eksctl's defaults here). The files are cleared first: one ClusterConfig at a time.
    await page.click('[data-kind="import-inputs"] button');
    await page.fill(
      '[data-kind="import-paste"]',
      'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: x, region: eu-west-1}\nmanagedNodeGroups: [{name: a, instanceType: m5.huge}]\n',
    );
    await page.click('[data-kind="import-read"]');
    await page.waitForSelector('[data-kind="import-problems"] [data-group="default"]');
    const refused = await page.locator('[data-kind="import-problems"]').textContent();
    assert.match(refused, /managedNodeGroups\[0\]\.instanceType/);
    assert.match(refused, /vpc\.cidr/);
    assert.equal(await page.locator('[data-kind="import-apply"]').isDisabled(), true);

    await page.keyboard.press('Escape');
    await page.locator('[data-kind="import-dialog"]').waitFor({ state: 'detached' });
    assert.equal(await page.locator(`[data-id="${EXPECT.subnet}"]`).count(), 0, 'nothing applied');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an import module that cannot load is a message, not a dead button', async () => {
  const { page, errors, close } = await openApp();
  try {
    // The module's glue (run in the page to open the dialog) is gone: the page says so.
    await page.route(/eksplain-import-[0-9a-f]+\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.waitForSelector('[data-kind="vpc"]');
    await page.click('[data-kind="import-dialog-open"]');
    const status = page.locator('[data-kind="share-status"]');
    await status.waitFor();
    assert.match(await status.textContent(), /import module could not be loaded/);
    assert.equal(await page.locator('[data-kind="import-dialog"]').count(), 0);
    assert.equal(
      await page.evaluate(() => document.activeElement?.dataset.kind),
      'import-dialog-open',
      'focus stays on the Import… button',
    );

    // The glue comes but its worker does not: the dialog opens and says so.
    await page.unroute(/eksplain-import-[0-9a-f]+\.js$/);
    await page.route('**/eksplain-import-*_loader.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.click('[data-kind="import-dialog-open"]');
    const problems = await page.waitForSelector('[data-kind="import-problems"]');
    assert.match(await problems.textContent(), /import module could not be loaded/);
    assert.equal(await page.locator('[data-kind="import-apply"]').isDisabled(), true);
    await page.keyboard.press('Escape');
    await page.locator('[data-kind="import-dialog"]').waitFor({ state: 'detached' });
    // Only the refused files are errors.
    assert.deepEqual(errors.filter((e) => !/eksplain-import-[0-9a-f]+(_loader)?\.js|404/.test(e)), []);
  } finally {
    await close();
  }
});
