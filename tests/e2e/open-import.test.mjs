// Open…, a file dropped on the page and text pasted on it (issue 16): a JSON scenario, an
// exported SVG or a share link opens at once, as before; anything else — here a real eksctl
// ClusterConfig in YAML (tests/fixtures/import) — opens the Import… dialog of the import
// module with it, already read, its notes shown before Apply. The module is still fetched only
// then: the page's first load carries no YAML parser.
//
// Screenshots (target/e2e/screenshots/): open-yaml-dialog.png, open-yaml-applied.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT } from './harness.mjs';

const FILE = 'eksctl-01-simple-cluster.yaml';
const YAML = readFileSync(join(REPO_ROOT, 'tests/fixtures/import', FILE), 'utf8');
// The scenario's name the import gives that ClusterConfig (its metadata.name).
const IMPORTED = 'Imported: cluster-1';

/** Waits for the Import… dialog to have read the input, applies it, and checks the page. */
async function applyImport(page, shot) {
  const dialog = page.locator('[data-kind="import-dialog"]');
  await dialog.waitFor();
  await page.waitForSelector('[data-kind="import-notes"]');
  assert.ok(await dialog.locator('[data-group="default"] li').count() > 0, "eksctl's defaults are noted");
  assert.ok((await dialog.textContent()).includes(`Ready to apply “${IMPORTED}”`));
  if (shot) await screenshot(page, shot);
  const before = await page.evaluate(() => location.href);
  await page.click('[data-kind="import-apply"]');
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction((name) => document.querySelector('.scenario-name')?.textContent === name, IMPORTED);
  await page.waitForSelector('[data-kind="vpc"]');
  // The link is written after the next paint (url_state::write_after_paint): a Back before
  // the imported scenario's history entry would leave the page (a run under load once did,
  // and waited 30 s for a diagram that was not there).
  await page.waitForFunction((url) => location.href !== url, before);
}

/** Every request of the page, in order. */
function recordRequests(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

test('Open… with an eksctl YAML imports it through the import module', async () => {
  const { page, errors, close } = await openApp();
  const requests = recordRequests(page);
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await page.waitForFunction(() => location.hash.startsWith('#s=1.'));
    assert.deepEqual(requests.filter((u) => u.includes('eksplain-import')), [], 'no import module at load');
    await page.setInputFiles('[data-kind="import"] input[type="file"]', {
      name: FILE,
      mimeType: 'application/yaml',
      buffer: Buffer.from(YAML),
    });
    await applyImport(page, 'open-yaml-dialog.png');
    assert.ok(requests.some((u) => u.includes('eksplain-import-')), 'the import module was fetched now');
    await screenshot(page, 'open-yaml-applied.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an eksctl YAML dropped on the page, or pasted on it, imports it', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    const transfer = await page.evaluateHandle(({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/yaml' }));
      return dt;
    }, { name: FILE, text: YAML });
    await page.dispatchEvent('[data-kind="diagram"]', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('[data-kind="diagram"]', 'drop', { dataTransfer: transfer });
    await applyImport(page);

    // Back to the default, then the same text pasted on the page (not in a field).
    await page.goBack();
    await page.waitForFunction((name) => document.querySelector('.scenario-name')?.textContent !== name, IMPORTED);
    await page.locator('[data-kind="diagram"] svg').focus();
    const paste = (text) =>
      page.evaluate((text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, text);
    await paste(YAML);
    await applyImport(page);

    // A JSON scenario pasted opens at once, without the dialog.
    const json = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');
    await page.locator('[data-kind="diagram"] svg').focus();
    await paste(json);
    await page.waitForFunction(() => document.querySelector('.scenario-name')?.textContent.includes('externalTrafficPolicy'));
    assert.equal(await page.locator('[data-kind="import-dialog"]').count(), 0);
    assert.match(await page.textContent('[data-kind="share-status"]'), /Opened/);

    // A paste into a field is the field's.
    const field = page.locator('[data-field]').first();
    await field.focus();
    const name = await page.textContent('.scenario-name');
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, YAML);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-kind="import-dialog"]').count(), 0, 'no dialog for a paste into a field');
    assert.equal(await page.textContent('.scenario-name'), name);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
