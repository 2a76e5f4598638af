// No silent overwrite of the user's work (issue 11, "No silent overwrite, ever").
//
// A link pasted into the address bar, a page on another origin setting `location.href`, a
// draft from a newer eksplain, two tabs editing at once and a panic: each shows an offer or a
// notice, and the saved draft stays in localStorage until the user chooses. Links are made
// here (zlib + base64url, as `eksplain link` does), so no test hook loads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { openApp, screenshot, startServer } from './harness.mjs';

const NODES = '[data-field="managedNodeGroups[0].desiredCapacity"]';
const DEFAULT = JSON.parse(await readFile(new URL('../../static/scenarios/default.json', import.meta.url), 'utf8'));

/** The fragment of a link to `scenario` (with `#`). */
function linkFor(scenario) {
  return '#s=1.' + deflateSync(Buffer.from(JSON.stringify(scenario))).toString('base64url');
}

/** The default scenario renamed, with `nodes` nodes. */
function scenario(name, nodes) {
  const s = structuredClone(DEFAULT);
  s.name = name;
  s.managedNodeGroups[0].desiredCapacity = nodes;
  return s;
}

const nodeCount = (page, n) => page.waitForFunction((n) => document.querySelectorAll('[data-kind="node"]').length === n, n);

/** The node count of the draft saved in localStorage (`null`: none). */
const savedNodes = (page) =>
  page.evaluate(() => {
    const d = localStorage.getItem('eksplain.draft');
    return d === null ? null : JSON.parse(d).managedNodeGroups[0].desiredCapacity;
  });

const waitSaved = (page, n) =>
  page.waitForFunction((n) => {
    const d = localStorage.getItem('eksplain.draft');
    return d !== null && JSON.parse(d).managedNodeGroups[0].desiredCapacity === n;
  }, n);

async function setNodes(page, n) {
  await page.fill(NODES, String(n));
  await page.locator(NODES).blur();
  await nodeCount(page, n);
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

test('a link pasted into the address bar over saved work asks, and the work stays saved', async () => {
  const { base } = await startServer();
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await setNodes(page, 5);
    await waitSaved(page, 5);
    const mine = await page.evaluate(() => location.hash);

    // Only the fragment changes: the same document, a hashchange.
    const link = linkFor(scenario('From a link', 2));
    await page.evaluate((h) => {
      location.hash = h;
    }, link);
    const offer = await page.waitForSelector('[data-kind="restore-offer"]');
    assert.match(await offer.textContent(), /You have unsaved work from .+ Restore it \/ Keep the link's/);
    await nodeCount(page, 2);
    await sleep(3000);
    assert.equal(await savedNodes(page), 5, 'the saved draft is not overwritten while the offer waits');
    await screenshot(page, 'drafts-pasted-link-offer.png');

    // Restore: the work comes back, and the URL follows it.
    await page.click('[data-kind="restore-offer"] [data-action="restore"]');
    await nodeCount(page, 5);
    assert.equal(await page.locator('[data-kind="restore-offer"]').count(), 0);
    assert.equal(await page.evaluate(() => location.hash), mine);
    assert.equal(await savedNodes(page), 5);

    // The same link pasted again (page.goto within the document), and kept this time.
    await page.goto(base + link);
    await page.waitForSelector('[data-kind="restore-offer"]');
    await nodeCount(page, 2);
    await page.click('[data-kind="restore-offer"] [data-action="keep"]');
    await waitSaved(page, 2);
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('eksplain.draft')).name), 'From a link');

    // Back and Forward through the page's own steps never ask.
    await setNodes(page, 3);
    await waitSaved(page, 3);
    await page.goBack();
    await nodeCount(page, 2);
    await page.goForward();
    await nodeCount(page, 3);
    await sleep(500);
    assert.equal(await page.locator('[data-kind="restore-offer"]').count(), 0, 'no offer for own steps');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a page on another origin that opened eksplain cannot replace saved work through location.href', async () => {
  const { base } = await startServer();
  // The other origin: a tiny page on another port.
  const other = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  await new Promise((ok) => other.listen(0, '127.0.0.1', ok));
  const otherOrigin = `http://127.0.0.1:${other.address().port}`;
  const { context, page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await setNodes(page, 5);
    await waitSaved(page, 5);
    await page.close();

    const opener = await context.newPage();
    await opener.goto(otherOrigin + '/');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      opener.evaluate((url) => {
        window.eksplainTab = window.open(url);
      }, base),
    ]);
    const popupErrors = [];
    popup.on('pageerror', (e) => popupErrors.push(e.message));
    await popup.waitForSelector('[data-kind="vpc"]');
    await nodeCount(popup, 5);

    const link = base + linkFor(scenario('Planted', 1));
    await opener.evaluate((href) => {
      window.eksplainTab.location.href = href;
    }, link);
    await popup.waitForSelector('[data-kind="restore-offer"]');
    await nodeCount(popup, 1);
    await sleep(3000);
    assert.equal(await savedNodes(popup), 5, 'the saved draft is kept');
    await screenshot(popup, 'drafts-cross-origin-offer.png');
    await popup.click('[data-kind="restore-offer"] [data-action="restore"]');
    await nodeCount(popup, 5);
    assert.equal(await savedNodes(popup), 5);
    assert.deepEqual(popupErrors, []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
    other.closeAllConnections?.();
    await new Promise((ok) => other.close(ok));
  }
});

test('a draft from a newer eksplain is kept aside and the page says so', async () => {
  const { base } = await startServer();
  const { page, errors, close } = await openApp();
  const newer = JSON.stringify({ version: 99, vpc: { cidr: '10.9.0.0/16' }, holograms: ['from the future'] });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await waitSaved(page, 3);
    await page.evaluate((text) => {
      localStorage.setItem('eksplain.draft', text);
      localStorage.setItem('eksplain.savedAt', String(Date.parse('2030-01-02T03:04:05Z')));
    }, newer);
    await page.goto(base); // a plain visit, no link

    const notice = await page.waitForSelector('[data-kind="kept-aside"]');
    const text = await notice.textContent();
    assert.match(text, /could not be opened: it was saved by a newer eksplain \(scenario version 99/);
    assert.match(text, /kept aside, not overwritten/);
    await nodeCount(page, 3); // the default scenario
    await screenshot(page, 'drafts-newer-draft-kept.png');

    const key = await notice.getAttribute('data-key');
    assert.match(key, /^eksplain\.draft\.unreadable\.\d+$/);
    await waitSaved(page, 3); // the page autosaves again, elsewhere
    await sleep(1000);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), newer, 'kept as it was');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-kind="kept-aside"] [data-action="download"]'),
    ]);
    assert.equal(await readFile(await download.path(), 'utf8'), newer);
    await page.click('[data-kind="kept-aside"] [aria-label="Dismiss"]');
    assert.equal(await page.locator('[data-kind="kept-aside"]').count(), 0);

    // Damaged JSON is kept aside the same way.
    await page.evaluate(() => {
      localStorage.setItem('eksplain.draft', '{"version": 1, "vpc": ');
      localStorage.setItem('eksplain.savedAt', '1');
    });
    await page.goto(base + '?again');
    const damaged = await page.waitForSelector('[data-kind="kept-aside"]');
    assert.match(await damaged.textContent(), /it is not a scenario this version can read/);
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('eksplain.draft.unreadable.')));
    assert.equal(keys.length, 2, 'both are kept');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('two tabs: a save in one is never overwritten by the other without asking', async () => {
  const { base } = await startServer();
  const a = await openApp();
  try {
    const tabA = a.page;
    await tabA.waitForSelector('[data-kind="vpc"]');
    await waitSaved(tabA, 3);
    const tabB = await a.context.newPage();
    const errorsB = [];
    tabB.on('pageerror', (e) => errorsB.push(e.message));
    await tabB.goto(base);
    await tabB.waitForSelector('[data-kind="vpc"]');

    // Tab B saves; tab A is told at once and stops saving.
    await setNodes(tabB, 4);
    await waitSaved(tabB, 4);
    const offer = await tabA.waitForSelector('[data-kind="other-tab-offer"]');
    assert.match(await offer.textContent(), /Another tab changed your saved scenario .+ Load it \/ Keep mine \(saves over it\)/);
    await screenshot(tabA, 'drafts-other-tab-offer.png');

    // Tab A goes on editing: nothing is written over tab B's work.
    await setNodes(tabA, 6);
    await sleep(3000);
    assert.equal(await savedNodes(tabA), 4, "tab B's work is still saved");

    // Tab A keeps its own (it says it saves over it); tab B is asked in turn.
    await tabA.click('[data-kind="other-tab-offer"] [data-action="keep"]');
    await waitSaved(tabA, 6);
    await tabB.waitForSelector('[data-kind="other-tab-offer"]');
    await sleep(1000);
    assert.equal(await savedNodes(tabB), 6, 'tab B does not save back over it');
    await nodeCount(tabB, 4);
    const before = await tabB.evaluate(() => location.hash);
    await tabB.click('[data-kind="other-tab-offer"] [data-action="load"]');
    await nodeCount(tabB, 6);
    await tabB.waitForFunction((h) => location.hash !== h, before); // its URL follows
    assert.equal(await tabB.locator('[data-kind="other-tab-offer"]').count(), 0);
    // Tab B's own 4 nodes are still its previous step.
    await tabB.goBack();
    await nodeCount(tabB, 4);
    assert.deepEqual(errorsB, []);
    assert.deepEqual(a.errors, []);
  } finally {
    await a.close();
  }
});

test('a draft that does not build is saved beside the good one, never over it', async () => {
  const { base } = await startServer();
  const { page, errors, close } = await openApp();
  const CIDR = '[data-field="vpc.subnets[0].cidr"]';
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await setNodes(page, 5);
    await waitSaved(page, 5);
    // Half typed: the scenario does not build.
    await page.fill(CIDR, '10.0.0.');
    await page.waitForFunction(() => localStorage.getItem('eksplain.draft.unfinished')?.includes('10.0.0.'));
    assert.equal(await savedNodes(page), 5, 'the good draft stays');
    assert.equal(
      await page.evaluate(() => JSON.parse(localStorage.getItem('eksplain.draft')).vpc.subnets[0].cidr),
      '10.0.0.0/24',
    );

    // A plain visit opens the typing again, over the last picture that built.
    await page.goto(base);
    await page.waitForSelector('[data-kind="vpc"]');
    assert.equal(await page.inputValue(CIDR), '10.0.0.');
    await nodeCount(page, 5);
    assert.equal(await page.locator('[data-kind="restore-offer"]').count(), 0);
    await screenshot(page, 'drafts-unfinished-reopened.png');

    // Finished: saved over the good draft, and the unfinished one is gone.
    await page.fill(CIDR, '10.0.0.0/24');
    await page.locator(CIDR).blur();
    await page.waitForFunction(() => localStorage.getItem('eksplain.draft.unfinished') === null);
    assert.equal(await savedNodes(page), 5);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a panic keeps the draft and shows a message instead of a dead page', async () => {
  // The only test that needs a hook: the release site has no way to panic on purpose.
  const { page, errors, close } = await openApp('', { hooked: true });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await setNodes(page, 5);
    await waitSaved(page, 5);
    await page.evaluate(() => window.eksplainPanic()).catch(() => {});

    const message = await page.waitForSelector('[data-kind="crash-notice"]');
    const text = await message.textContent();
    assert.match(text, /eksplain hit a bug and stopped/);
    assert.match(text, /Your work is saved/);
    assert.match(text, /eksplainPanic/, 'the details name the panic');
    await screenshot(page, 'drafts-panic-message.png');
    const stored = await page.evaluate(() => ({
      recovery: JSON.parse(localStorage.getItem('eksplain.draft.recovery')),
      draft: JSON.parse(localStorage.getItem('eksplain.draft')),
    }));
    assert.equal(stored.recovery.managedNodeGroups[0].desiredCapacity, 5);
    assert.equal(stored.draft.managedNodeGroups[0].desiredCapacity, 5, 'the good draft is untouched');
    assert.ok(errors.some((e) => e.includes('eksplainPanic')), errors.join('\n'));

    // Reload opens on the saved work and offers the recovered one.
    await Promise.all([page.waitForNavigation(), page.click('[data-kind="crash-notice"] [data-action="reload"]')]);
    const offer = await page.waitForSelector('[data-kind="recovery-offer"]');
    assert.match(await offer.textContent(), /stopped on a bug last time .+ Open it \/ Download it \/ Discard it/);
    await nodeCount(page, 5);
    await screenshot(page, 'drafts-recovery-offer.png');
    await page.click('[data-kind="recovery-offer"] [data-action="open"]');
    assert.equal(await page.locator('[data-kind="recovery-offer"]').count(), 0);
    assert.equal(await page.evaluate(() => localStorage.getItem('eksplain.draft.recovery')), null);
  } finally {
    await close();
  }
});
