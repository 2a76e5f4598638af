// Keyboard and screen readers (issue 16, point 5), keyboard only, on the ETP gallery
// scenario (a LoadBalancer Service, a traced flow): the skip link is the first Tab stop and
// lands in the diagram, which is one Tab stop with arrow keys between its things (roving
// tabindex); Space opens the inspector with focus on its heading, Escape closes it and gives
// focus back; Tab goes on to the traffic panel's ETP toggle and Escape comes back to the
// diagram — in fewer than 15 key presses, with document.activeElement asserted at each step.
// Then: Enter goes into containers and Escape out; load balancers, Services and the trace's
// hops are focusable and named; names start with the visible text; one <h1>; landmarks;
// every control of the top bar, Open… included, is reached by Tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, scenarioLink } from './harness.mjs';

const ETP = readFileSync(join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json'), 'utf8');

/** What has focus: where it is and what it is. */
const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return {
      tag: a.tagName.toLowerCase(),
      kind: a.getAttribute('data-kind'),
      id: a.getAttribute('data-id'),
      at: a.getAttribute('data-at'),
      toggle: a.getAttribute('data-toggle'),
      text: a.textContent.trim().slice(0, 40),
      cls: a.getAttribute('class'),
      inDiagram: !!a.closest('#diagram'),
      inInspector: !!a.closest('[data-kind="inspector"]'),
      inPanel: !!a.closest('[data-kind="flow-panel"]'),
      tabindex: a.getAttribute('tabindex'),
    };
  });

async function open() {
  const app = await openApp(scenarioLink(ETP), { viewport: { width: 1280, height: 800 } });
  await app.page.waitForSelector('[data-kind="flow-panel"] button[data-toggle="etp"]');
  await app.page.waitForSelector('#diagram [tabindex="0"]');
  return app;
}

test('skip link → a node → its inspector → the ETP toggle → back, in fewer than 15 keys', async () => {
  const { page, errors, close } = await open();
  try {
    let presses = 0;
    const press = async (key) => {
      presses += 1;
      await page.keyboard.press(key);
    };
    await press('Tab');
    let f = await focused(page);
    assert.equal(f.cls, 'skip-link', 'the first Tab stop is the skip link');
    assert.equal(f.text, 'Skip to the diagram');

    await press('Enter');
    f = await focused(page);
    assert.ok(f.inDiagram, 'Enter on the skip link goes to the diagram');
    assert.equal(f.kind, 'node', 'the diagram starts on a node');
    assert.equal(f.tabindex, '0', 'the thing with focus is the diagram\'s Tab stop');
    assert.equal(page.url().includes('#diagram'), false, 'the scenario stays in the address');
    const node = f.id;

    await press(' ');
    await page.waitForSelector(`[data-kind="inspector"][data-selected="${node}"]`);
    f = await focused(page);
    assert.ok(f.inInspector && f.tag === 'h2', `focus is on the inspector's heading (${JSON.stringify(f)})`);

    await press('Escape');
    await page.waitForSelector('[data-kind="inspector"]', { state: 'detached' });
    f = await focused(page);
    assert.equal(f.id, node, 'closing the inspector gives focus back to the node');

    // Tab leaves the diagram (one stop) for the traffic panel, up to its ETP toggle.
    for (let i = 0; i < 8 && (await focused(page)).toggle !== 'etp'; i++) {
      await press('Tab');
      f = await focused(page);
      assert.ok(f.inPanel, `Tab ${i + 1} after the diagram is in the traffic panel (${JSON.stringify(f)})`);
    }
    f = await focused(page);
    assert.equal(f.toggle, 'etp', 'the ETP toggle is reached');
    await screenshot(page, 'keyboard-etp.png');

    await press('Escape');
    f = await focused(page);
    assert.equal(f.id, node, 'Escape in the traffic panel goes back to the diagram, where it was');
    assert.ok(presses < 15, `${presses} key presses`);
    console.log(`skip link → node → inspector → ETP toggle → back: ${presses} key presses`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('arrows, Enter and Escape move through the diagram; LBs, Services and hops are named stops', async () => {
  const { page, errors, close } = await open();
  try {
    const tabStops = () => page.$$eval('#diagram [tabindex="0"]', (els) => els.length);
    assert.equal(await tabStops(), 1, 'the diagram is one Tab stop');
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Enter');
    const node = (await focused(page)).id;
    // Out: subnet, Availability Zone, VPC.
    const outs = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Escape');
      outs.push((await focused(page)).kind);
    }
    assert.deepEqual(outs, ['subnet', 'az', 'vpc']);
    assert.equal(await tabStops(), 1, 'still one Tab stop');
    // In: the VPC's first thing; arrows between its things.
    await page.keyboard.press('Enter');
    const first = await focused(page);
    assert.ok(first.inDiagram && first.id !== 'vpc');
    await page.keyboard.press('ArrowRight');
    const second = await focused(page);
    assert.notEqual(second.id, first.id, 'ArrowRight moves to the next thing');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await focused(page)).id, first.id, 'ArrowLeft comes back');
    // The node sits in the tree the keys walk: VPC > AZ > subnet > node.
    const ups = await page.$eval(`[data-id="${node}"]`, (n) => {
      const out = [];
      for (let e = n.parentElement; e && e.id !== 'diagram'; e = e.parentElement) if (e.hasAttribute('tabindex')) out.unshift(e.getAttribute('data-kind'));
      return out;
    });
    assert.deepEqual(ups.slice(-3), ['vpc', 'az', 'subnet']);

    // Top level: the load balancer, the Service band and the traced flow are reached with
    // the arrows from the AWS Cloud, each named.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
    const top = [];
    await page.keyboard.press('Home');
    for (let i = 0; i < 12; i++) {
      const f = await focused(page);
      top.push(f.kind);
      await page.keyboard.press('ArrowRight');
      if ((await focused(page)).id === f.id && (await focused(page)).at === f.at) break;
    }
    for (const kind of ['cloud', 'lb', 'service-band', 'flow-path']) {
      assert.ok(top.includes(kind), `${kind} is a stop at the top (${top.join(', ')})`);
    }
    // Into the traced flow: its first hop, named, opens what it is at.
    await page.keyboard.press('End');
    assert.equal((await focused(page)).kind, 'flow-path');
    await page.keyboard.press('Enter');
    const hop = await focused(page);
    assert.equal(hop.kind, 'flow-stop');
    assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), /^1 of \d+: at /);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-kind="inspector"][data-selected="${hop.at}"]`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-kind="inspector"]', { state: 'detached' });
    assert.equal((await focused(page)).kind, 'flow-stop', 'focus is back on the hop');

    // Every load balancer, Service and hop is focusable and named, none hidden.
    const unnamed = await page.$$eval('#diagram [data-kind="lb"], #diagram [data-kind="lb-node"], #diagram [data-kind="service"], #diagram [data-kind="flow-stop"]', (els) =>
      els.filter((e) => !e.getAttribute('aria-label') || e.getAttribute('tabindex') === null || e.closest('[aria-hidden="true"]')).map((e) => e.getAttribute('data-id') || e.getAttribute('data-at')),
    );
    assert.deepEqual(unnamed, []);
    assert.ok((await page.$$('#diagram [data-kind="lb"]')).length > 0 && (await page.$$('#diagram [data-kind="service"]')).length > 0);
    // Names start with what is shown (WCAG 2.5.3): the buttons' own text (a group's, like a
    // used address holding its pod's label, belongs to what it holds).
    const mismatched = await page.$$eval('#diagram [tabindex][role="button"]', (els) =>
      els
        .map((e) => {
          const shown = [...e.children].filter((c) => c.tagName === 'text').map((t) => t.textContent.trim()).filter(Boolean);
          const name = e.getAttribute('aria-label') || '';
          return { id: e.getAttribute('data-id') || e.getAttribute('data-at'), shown: shown[0], name };
        })
        .filter((x) => x.shown && !x.name.startsWith(x.shown)),
    );
    assert.deepEqual(mismatched, []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('one h1, landmarks for every region, every top-bar control (Open… too) reached by Tab', async () => {
  const { page, errors, close } = await open();
  try {
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('h1').textContent(), JSON.parse(ETP).name);
    for (const [role, name] of [['banner'], ['main', 'Diagram'], ['complementary', 'Scenario editor'], ['region', 'Traffic']]) {
      const landmark = name ? page.getByRole(role, { name }) : page.getByRole(role);
      assert.equal(await landmark.count(), 1, `${role} ${name ?? ''}`);
    }
    // Tab from the top: every button of the top bar is a stop, Open… included.
    const wanted = ['Gallery', 'Open…', 'Import…', 'SVG', 'PNG', 'Embed', 'Share'];
    const reached = new Set();
    for (let i = 0; i < 30 && reached.size < wanted.length; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (wanted.includes(f.text)) reached.add(f.text);
    }
    assert.deepEqual([...reached].sort(), [...wanted].sort());
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
