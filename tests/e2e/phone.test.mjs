// Phones and narrow windows (issue 16, point 4), at 390×844: nothing scrolls sideways; the
// top bar's tools are in a Menu (Share, Open…, Import…, SVG, PNG, Embed, Gallery, the search
// box); the editor and the inspector are drawers over the diagram that open and close with
// focus moved into them and back; the traffic panel with its ETP toggle is on screen.
// The drawers are modal: a scrim behind them closes them when clicked, Tab and Shift+Tab go
// round inside them, Escape closes them and gives focus back to what opened them. The Menu
// closes on a click or tap outside it.
//
// Screenshots (target/e2e/screenshots/): phone-default.png, phone-menu.png,
// phone-editor.png, phone-inspector.png, phone-traffic.png, phone-menu-closed.png (after a
// tap outside the menu).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, scenarioLink } from './harness.mjs';

const PHONE = { width: 390, height: 844 };

/** Whether the element's box lies on the screen (within the viewport's width and height). */
async function onScreen(locator) {
  const b = await locator.boundingBox();
  return b !== null && b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= PHONE.width + 0.5 && b.y + b.height <= PHONE.height + 0.5;
}

async function noSidewaysScroll(page, when) {
  const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(w.doc <= PHONE.width && w.body <= PHONE.width, `${when}: the page is ${JSON.stringify(w)} px wide`);
}

/** Whether focus is on the first / last thing Tab reaches in `selector` (visible ones). */
const focusAt = (page, selector) => page.evaluate((selector) => {
  const drawer = document.querySelector(selector);
  const stops = [...drawer.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])')]
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 || r.height > 0; });
  const a = document.activeElement;
  return { first: a === stops[0], last: a === stops[stops.length - 1], inside: drawer.contains(a), stops: stops.length };
}, selector);

const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a?.getAttribute('data-action') || a?.getAttribute('data-kind') || a?.tagName;
});

test('390×844: menu, drawers, nothing sideways', async () => {
  const { page, errors, close } = await openApp('', { viewport: PHONE });
  try {
    await page.waitForSelector('svg.diagram-svg [data-kind="node"]');
    await noSidewaysScroll(page, 'first view');
    assert.ok(await onScreen(page.locator('svg.diagram-svg')), 'the diagram is on screen');
    // The editor is closed: not on screen, not reachable by Tab.
    assert.equal(await page.locator('[data-kind="editor"]').isVisible(), false);
    await screenshot(page, 'phone-default.png');

    // The menu reaches every tool of the top bar.
    const menu = page.locator('[data-action="menu"]');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('[data-kind="share"]').isVisible(), false, 'tools are folded away');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    for (const sel of ['[data-kind="share"]', '[data-kind="import"] button', '[data-kind="import-dialog-open"]', '[data-kind="export-svg"]', '[data-kind="export-png"]', '[data-kind="embed"]', '[data-kind="gallery"]', '.search input']) {
      const el = page.locator(sel);
      assert.ok(await el.isVisible(), `${sel} is in the menu`);
      assert.ok(await onScreen(el), `${sel} is on screen`);
    }
    await noSidewaysScroll(page, 'menu open');
    await screenshot(page, 'phone-menu.png');
    // Open… is a button the keyboard reaches.
    await page.locator('[data-kind="import"] button').focus();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Open…');
    // Share works from the menu.
    await page.locator('[data-kind="share"]').click();
    await page.waitForSelector('[data-kind="share-status"]');
    await noSidewaysScroll(page, 'after Share');
    // Escape closes the menu and gives focus back to Menu.
    await page.locator('[data-kind="gallery"]').focus();
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await active(page), 'menu');
    // A click outside the menu closes it, and so does a tap (a touch pointer).
    await menu.click();
    // (On the scenario's name in the top bar: a click on the diagram would also select.)
    await page.locator('h1.scenario-name').click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'a click outside closes the menu');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    // A click inside it leaves it open.
    await page.locator('#topbar-menu .search input').click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true', 'a click inside keeps it');
    await page.evaluate(() => {
      const stage = document.querySelector('main.stage');
      stage.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, pointerType: 'touch', isPrimary: true }));
    });
    await page.waitForFunction(() => document.querySelector('[data-action="menu"]').getAttribute('aria-expanded') === 'false');
    assert.equal(await page.locator('[data-kind="share"]').isVisible(), false, 'a tap outside closes the menu');
    await screenshot(page, 'phone-menu-closed.png');

    // The editor drawer: Edit opens it with focus inside, Close and Escape close it.
    const edit = page.locator('[data-action="open-editor"]');
    await edit.click();
    const editor = page.locator('[data-kind="editor"]');
    await editor.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-action') === 'close-editor');
    await page.waitForFunction(() => document.querySelector('.editor-drawer').getBoundingClientRect().left >= 0);
    assert.ok(await onScreen(page.locator('.editor-drawer')), 'the drawer is on screen');
    await noSidewaysScroll(page, 'editor open');
    const scrim = page.locator('[data-kind="drawer-scrim"]');
    assert.ok(await scrim.isVisible(), 'a scrim behind the drawer');
    await screenshot(page, 'phone-editor.png');
    // Tab goes round inside the drawer: Shift+Tab from the first stop (Close) to the last,
    // Tab from the last to the first.
    assert.ok((await focusAt(page, '.editor-drawer')).first, 'focus on Close, the first stop');
    await page.keyboard.press('Shift+Tab');
    let at = await focusAt(page, '.editor-drawer');
    assert.ok(at.last && at.inside && at.stops > 5, `Shift+Tab from the first goes to the last: ${JSON.stringify(at)}`);
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'close-editor', 'Tab from the last goes to the first');
    await page.keyboard.press('Tab');
    at = await focusAt(page, '.editor-drawer');
    assert.ok(at.inside && !at.first, 'Tab moves on inside the drawer');
    // An edit in the drawer redraws the diagram behind it.
    await page.locator('[data-field="managedNodeGroups[0].desiredCapacity"]').fill('4');
    await page.waitForFunction(() => document.querySelectorAll('svg.diagram-svg [data-kind="node"]').length === 4);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden' });
    assert.equal(await active(page), 'open-editor', 'focus is back on Edit');
    await edit.click();
    await page.locator('[data-action="close-editor"]').click();
    await editor.waitFor({ state: 'hidden' });
    // A click on the scrim, beside the drawer, closes it; focus goes back to Edit.
    await edit.click();
    await editor.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('.editor-drawer').getBoundingClientRect().left >= 0);
    await page.mouse.click(PHONE.width - 8, PHONE.height / 2);
    await editor.waitFor({ state: 'hidden' });
    assert.equal(await scrim.count(), 0, 'the scrim goes with the drawer');
    assert.equal(await active(page), 'open-editor', 'focus is back on Edit');

    // The inspector: a drawer over the diagram, focus on its heading, back on close.
    const node = page.locator('svg.diagram-svg [data-kind="node"]').first();
    await node.focus();
    await page.keyboard.press(' ');
    const inspector = page.locator('[data-kind="inspector"]');
    await inspector.waitFor();
    assert.ok(await onScreen(inspector), 'the inspector is on screen');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2');
    await noSidewaysScroll(page, 'inspector open');
    assert.ok(await scrim.isVisible(), 'a scrim behind the inspector');
    await screenshot(page, 'phone-inspector.png');
    // Tab goes round inside the inspector: Shift+Tab from its heading (before the first stop)
    // to the last, Tab from the last to the first.
    await page.keyboard.press('Shift+Tab');
    at = await focusAt(page, '[data-kind="inspector"]');
    assert.ok(at.last && at.inside && at.stops > 1, `Shift+Tab from the heading goes to the last: ${JSON.stringify(at)}`);
    await page.keyboard.press('Tab');
    at = await focusAt(page, '[data-kind="inspector"]');
    assert.ok(at.first && at.inside, `Tab from the last goes to the first: ${JSON.stringify(at)}`);
    await page.keyboard.press('Shift+Tab');
    assert.ok((await focusAt(page, '[data-kind="inspector"]')).last, 'Shift+Tab from the first goes to the last');
    // Escape closes it, focus back on the node.
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });
    assert.equal(await active(page), 'node', 'focus is back on the node');
    // The scrim beside it closes it too.
    await page.keyboard.press(' ');
    await inspector.waitFor();
    await page.mouse.click(8, PHONE.height / 2);
    await inspector.waitFor({ state: 'detached' });
    assert.equal(await active(page), 'node', 'focus is back on the node');
    await page.keyboard.press(' ');
    await inspector.waitFor();
    await inspector.getByRole('button', { name: 'Close inspector' }).click();
    await inspector.waitFor({ state: 'detached' });
    assert.equal(await active(page), 'node', 'focus is back on the node');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('390×844: the traffic panel and its ETP toggle are on screen', async () => {
  const etp = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');
  const { page, errors, close } = await openApp(scenarioLink(etp), { viewport: PHONE });
  try {
    const toggle = page.locator('[data-kind="flow-panel"] button[data-toggle="etp"]').first();
    await toggle.waitFor();
    await toggle.scrollIntoViewIfNeeded();
    assert.ok(await onScreen(toggle), 'the ETP toggle is on screen');
    assert.ok(await onScreen(page.locator('svg.diagram-svg')), 'the diagram too');
    await noSidewaysScroll(page, 'traffic panel');
    await screenshot(page, 'phone-traffic.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
