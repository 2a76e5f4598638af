// Clusters of 1,000 and 5,000 nodes (30,000 and 150,000 pods) in the page. Zoomed out, each
// subnet shows one summary per node group with the counts the model gives (checked against
// `eksplain describe --json`); zooming in, clicking a summary or finding a node or pod by
// name shows the nodes and their ENIs; and the page never holds more than CAP SVG elements,
// zoomed out, zoomed in, panned or after a jump. Screenshots scale-<N>-out.png,
// scale-<N>-closer.png (summaries a little closer), scale-<N>-in.png, scale-<N>-summary.png
// (a summary clicked) and scale-<N>-search.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, cli, scenarioLink } from './harness.mjs';

/** SVG elements the page may hold at once, whatever the zoom. */
const CAP = 4000;

const svgElements = (page) => page.evaluate(() => document.querySelectorAll('svg *').length);

/** CSS pixels per scene unit in the diagram (its viewBox is fitted with `meet`). */
const scaleOf = (page) => page.evaluate(() => {
  const svg = document.querySelector('svg.diagram-svg');
  const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
  return Math.min(svg.clientWidth / w, svg.clientHeight / h);
});

async function assertUnderCap(page, when) {
  const n = await svgElements(page);
  assert.ok(n < CAP, `${when}: the page holds ${n} SVG elements (cap ${CAP})`);
  return n;
}

/** The scenario of `eksplain example --nodes N` and its `describe --json`. */
function example(nodes) {
  const json = cli(['example', '--nodes', String(nodes)]);
  const file = join(mkdtempSync(join(tmpdir(), 'eksplain-scale-')), `scale-${nodes}.json`);
  writeFileSync(file, json);
  return { json, described: JSON.parse(cli(['describe', file, '--json'])) };
}

/** Per `summary:<subnet>/<group>`: nodes, Running and ContainerCreating pods, from describe. */
function expectedSummaries(d) {
  const byNode = new Map(d.nodes.map((n) => [n.name, `summary:${n.subnet}/${n.group}`]));
  const out = new Map();
  const entry = (id) => {
    if (!out.has(id)) out.set(id, { nodes: 0, running: 0, creating: 0 });
    return out.get(id);
  };
  for (const n of d.nodes) entry(byNode.get(n.name)).nodes += 1;
  for (const p of d.pods) {
    const e = entry(byNode.get(p.node));
    if (p.status === 'Running') e.running += 1;
    if (p.status === 'ContainerCreating') e.creating += 1;
  }
  return out;
}

/** The number written before `word` in an accessible name ("4,170 Running" → 4170), or 0. */
function countIn(label, word) {
  const m = label.match(new RegExp(`([\\d,]+) ${word}\\b`));
  return m ? Number(m[1].replaceAll(',', '')) : 0;
}

async function zoomInUntilNodes(page, when) {
  const zoomIn = page.locator('button[aria-label="Zoom in"]');
  for (let i = 0; i < 30; i++) {
    if ((await page.locator('svg [data-kind="node"]').count()) > 0) return i;
    await zoomIn.click();
    await assertUnderCap(page, `${when}, zoom step ${i + 1}`);
  }
  assert.fail(`${when}: no node drawn after 30 zoom steps`);
}

for (const nodes of [1000, 5000]) {
  test(`${nodes.toLocaleString('en')} nodes: summaries zoomed out, nodes zoomed in, never more than ${CAP} SVG elements`, { timeout: 600000 }, async () => {
    const { json, described } = example(nodes);
    const expected = expectedSummaries(described);
    const { page, errors, close } = await openApp(scenarioLink(json), { viewport: { width: 1600, height: 1000 } });
    await page.waitForSelector('svg [data-kind="summary"]', { timeout: 300000 });

    // Zoomed out: the map with one summary per subnet and node group, no node drawn.
    const out = await assertUnderCap(page, 'zoomed out');
    assert.equal(await page.locator('svg [data-kind="node"]').count(), 0);
    assert.equal(await page.locator('svg [data-kind="subnet"]').count(), described.subnets.length);
    assert.equal(await page.locator('svg [data-kind="eks-eni"]').count(), described.controlPlane.crossAccountEnis.length);
    const summaries = await page.$$eval('svg [data-kind="summary"]', (els) =>
      els.map((e) => ({ id: e.dataset.id, label: e.getAttribute('aria-label') })));
    assert.deepEqual(summaries.map((s) => s.id).sort(), [...expected.keys()].sort());
    for (const { id, label } of summaries) {
      const want = expected.get(id);
      const got = {
        nodes: countIn(label, 'nodes?'),
        running: countIn(label, 'Running'),
        creating: countIn(label, 'ContainerCreating'),
      };
      assert.deepEqual(got, want, `${id}: ${label}`);
    }
    const running = described.pods.filter((p) => p.status === 'Running').length;
    assert.equal(summaries.reduce((n, s) => n + countIn(s.label, 'Running'), 0), running);
    assert.equal(await page.locator('svg [data-kind="subnet-summary"]').count(), new Set(described.nodes.map((n) => n.subnet)).size);
    await screenshot(page, `scale-${nodes}-out.png`);

    // A little closer, the summaries are made again for that zoom: smaller text, more lines.
    const fittedLines = await page.locator(`svg [data-id="${summaries[0].id}"] > text`).count();
    for (let i = 0; i < 4; i++) {
      await page.locator('button[aria-label="Zoom in"]').click();
      await assertUnderCap(page, `zooming in on the summaries, step ${i + 1}`);
    }
    await page.waitForSelector(`svg [data-id="${summaries[0].id}"]`);
    const closerLines = await page.locator(`svg [data-id="${summaries[0].id}"] > text`).count();
    assert.ok(closerLines >= fittedLines, `${closerLines} lines closer, ${fittedLines} fitted`);
    await screenshot(page, `scale-${nodes}-closer.png`);

    // Zooming in swaps the summaries for the nodes in view, with their ENIs; closer still,
    // they read.
    await zoomInUntilNodes(page, 'zooming in');
    for (let i = 0; i < 4 && (await scaleOf(page)) < 0.95; i++) {
      await page.locator('button[aria-label="Zoom in"]').click();
      await assertUnderCap(page, `zooming closer, step ${i + 1}`);
    }
    await page.waitForTimeout(300);
    const inside = await assertUnderCap(page, 'zoomed in');
    assert.equal(await page.locator('svg [data-kind="summary"]').count(), 0);
    assert.ok(await page.locator('svg [data-kind="eni"]').count() > 0, 'ENIs are drawn zoomed in');
    await screenshot(page, `scale-${nodes}-in.png`);

    // Panning a long way keeps within the cap.
    // (Shift + arrows pan; plain arrows move between the drawn things.)
    const svg = page.locator('svg.diagram-svg');
    await page.locator('svg.diagram-svg [tabindex="0"]').focus();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+ArrowUp' : 'Shift+ArrowLeft');
      await assertUnderCap(page, `panning, step ${i + 1}`);
    }
    const box = await svg.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 500, box.y + box.height / 2 - 300, { steps: 10 });
    await page.mouse.up();
    await assertUnderCap(page, 'after a drag');

    // Back to the whole cluster, then a click on a node group's summary zooms into its nodes.
    await page.locator('button[aria-label="Fit to screen"]').click();
    await page.waitForSelector('svg [data-kind="summary"]');
    const target = summaries[summaries.length - 1];
    await page.locator(`svg [data-id="${target.id}"] > rect.box`).click();
    await page.waitForSelector(`[data-kind="inspector"][data-selected="${target.id}"]`);
    await page.waitForSelector('svg [data-kind="node"]');
    await assertUnderCap(page, 'after clicking a summary');
    const facts = await page.locator('[data-kind="inspector"] .facts').innerText();
    assert.match(facts, new RegExp(`Pods\\s+${expected.get(target.id).running + expected.get(target.id).creating}|Pods\\s+${(expected.get(target.id).running + expected.get(target.id).creating).toLocaleString('en')}`));
    // The nodes drawn are the group's.
    const group = target.id.split('/')[1];
    const drawn = await page.$$eval('svg [data-kind="node"]', (els) => els.map((e) => e.dataset.id));
    assert.ok(drawn.some((id) => id.startsWith(`node:${group}-`)), `${group}'s nodes are in view: ${drawn.slice(0, 5)}`);
    await screenshot(page, `scale-${nodes}-summary.png`);

    // Find a node by name from afar: it is selected, drawn and in view.
    await page.locator('button[aria-label="Fit to screen"]').click();
    await page.waitForSelector('svg [data-kind="summary"]');
    const search = page.locator('[data-kind="search"] input');
    await search.fill('ng-2-300');
    await search.press('Enter');
    await page.waitForSelector('[data-kind="inspector"][data-selected="node:ng-2-300"]');
    const node = page.locator('svg [data-id="node:ng-2-300"]');
    await node.waitFor();
    const nodeBox = await node.boundingBox();
    const svgBox = await svg.boundingBox();
    assert.ok(nodeBox && nodeBox.x >= svgBox.x && nodeBox.x + nodeBox.width <= svgBox.x + svgBox.width + 1,
      'the node found is in view');
    await assertUnderCap(page, 'after a search jump');
    await screenshot(page, `scale-${nodes}-search.png`);

    // A pod by name, from afar: its node is drawn.
    await page.locator('button[aria-label="Fit to screen"]').click();
    await page.waitForSelector('svg [data-kind="summary"]');
    const pod = described.pods.find((p) => !p.hostNetwork && p.node !== 'ng-2-300' && p.workload.startsWith('web'));
    await search.fill(pod.name);
    await search.press('Enter');
    await page.waitForSelector(`svg [data-id="node:${pod.node}"]`);
    await assertUnderCap(page, 'after jumping to a pod');

    console.log(`${nodes} nodes: ${out} SVG elements zoomed out, ${inside} zoomed in`);
    assert.deepEqual(errors, []);
    await close();
  });
}
