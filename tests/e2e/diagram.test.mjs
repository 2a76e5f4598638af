// The diagram and its editor, end to end: what the default scenario draws, how edits redraw
// it, how an invalid field is reported while the diagram keeps the last valid cluster, and
// how the inspector opens. Elements are found by the DOM contract (data-kind, data-id,
// data-field, data-problem), never by CSS classes or position.
//
// Screenshots (target/e2e/screenshots/): default.png, edited.png, invalid.png, inspector.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './harness.mjs';

// The default scenario (src/scenario/default.rs): 3 AZs, a public and a private subnet in
// each, a NAT gateway per AZ, one managed node group of 3 m5.large nodes.
//
// m5.large has 3 ENIs of 10 IPv4 addresses: 9 secondary addresses per ENI. With the VPC CNI's
// default WARM_ENI_TARGET=1 and no pods, ipamd keeps one ENI's worth warm: each node holds its
// primary ENI (eth0) with 9 warm secondary IPs, so 3 × 9 = 27 [data-kind=ip] and no free slot.
const DEFAULT = { vpc: 1, az: 3, subnet: 6, natgw: 3, igw: 1, node: 3, eni: 3, ip: 27, slot: 0 };
// m5.4xlarge: 8 ENIs of 30 IPv4 addresses → 29 warm secondary IPs per node.
const M5_4XLARGE_IPS_PER_NODE = 29;

const count = (page, kind) => page.locator(`[data-kind="${kind}"]`).count();

async function waitForCount(page, kind, n) {
  await page.waitForFunction(
    ([k, want]) => document.querySelectorAll(`[data-kind="${k}"]`).length === want,
    [kind, n],
  );
}

async function openDiagram() {
  const app = await openApp();
  await app.page.waitForSelector('[data-kind="vpc"]');
  return app;
}

test('the default scenario draws its VPC, AZs, subnets, nodes, ENIs and IPs', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    for (const [kind, n] of Object.entries(DEFAULT)) {
      assert.equal(await count(page, kind), n, `[data-kind=${kind}]`);
    }
    // Every IP sits in an ENI of its node, and ids follow the model's scheme.
    const ips = await page.$$eval('[data-kind="eni"]', (enis) =>
      enis.map((e) => ({
        eni: e.getAttribute('data-id'),
        node: e.closest('[data-kind="node"]').getAttribute('data-id'),
        ips: [...e.querySelectorAll('[data-kind="ip"]')].map((ip) => ip.getAttribute('data-id')),
      })),
    );
    for (const { eni, node, ips: ids } of ips) {
      assert.equal(eni, `eni:${node.slice('node:'.length)}/eth0`);
      assert.equal(ids.length, 9);
      ids.forEach((id, k) => assert.equal(id, `ip:${node.slice('node:'.length)}/eth0/${k}`));
    }
    // Public subnets are drawn above private ones, and the AZ columns line up.
    const boxes = await page.$$eval('[data-kind="subnet"]', (subnets) =>
      subnets.map((s) => ({ state: s.getAttribute('data-state'), top: s.getBoundingClientRect().top })),
    );
    const lowestPublic = Math.max(...boxes.filter((b) => b.state === 'public').map((b) => b.top));
    const highestPrivate = Math.min(...boxes.filter((b) => b.state === 'private').map((b) => b.top));
    assert.ok(lowestPublic < highestPrivate, 'public subnets above private ones');
    // Every drawn thing is keyboard-reachable and named (lines are decoration, hidden).
    const unnamed = await page.$$eval('svg [data-kind][data-id]:not([aria-hidden="true"])', (els) =>
      els.filter((e) => !e.getAttribute('aria-label') || e.getAttribute('tabindex') !== '0').map((e) => e.getAttribute('data-id')),
    );
    assert.deepEqual(unnamed, []);
    await screenshot(page, 'default.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('editing the node count and the instance type redraws the nodes', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    await page.fill('[data-field="managedNodeGroups[0].desiredCapacity"]', '5');
    await waitForCount(page, 'node', 5);
    assert.equal(await count(page, 'ip'), 5 * 9);

    await page.fill('[data-field="managedNodeGroups[0].instanceType"]', 'm5.4xlarge');
    await waitForCount(page, 'ip', 5 * M5_4XLARGE_IPS_PER_NODE);
    assert.equal(await count(page, 'node'), 5);
    const labels = await page.$$eval('[data-kind="node"]', (nodes) => nodes.map((n) => n.getAttribute('aria-label')));
    for (const label of labels) assert.match(label, /m5\.4xlarge/);
    const text = await page.locator('[data-id="node:ng-1-1"]').textContent();
    assert.match(text, /m5\.4xlarge/);
    assert.equal(await page.locator('[data-kind="problems"][role="alert"]').count(), 0, 'no problems');
    await screenshot(page, 'edited.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an invalid subnet CIDR is reported at its field and the diagram keeps its nodes', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    const path = 'vpc.subnets[2].cidr';
    await page.fill(`[data-field="${path}"]`, '10.1.0.0/24');
    const inline = page.locator(`[data-problem="${path}"][data-where="inline"]`);
    await inline.waitFor();
    assert.match(await inline.textContent(), /10\.1\.0\.0\/24 is outside the VPC's CIDRs/);
    // Beside its field: the message follows the input it is about.
    const beside = await page.$eval(`[data-field="${path}"]`, (input) => {
      const msg = input.parentElement.querySelector('[data-where="inline"]');
      return msg !== null && input.getAttribute('aria-invalid') === 'true' && input.getAttribute('aria-describedby').includes(msg.id);
    });
    assert.ok(beside, 'the message is next to the field and describes it');
    const listed = page.locator(`[data-problem="${path}"][data-where="list"]`);
    assert.equal(await listed.count(), 1);
    assert.match(await listed.textContent(), /vpc\.subnets\[2\]\.cidr.*outside the VPC's CIDRs/);
    // The last valid cluster stays on screen.
    assert.equal(await count(page, 'node'), DEFAULT.node);
    assert.equal(await count(page, 'subnet'), DEFAULT.subnet);
    assert.equal(await page.locator('[data-id="subnet:public-c"]').count(), 1);
    await screenshot(page, 'invalid.png');

    // Fixing it brings the diagram back in step.
    await page.fill(`[data-field="${path}"]`, '10.0.2.0/24');
    await inline.waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-problem]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('problems without a field of their own are still listed', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    // private-a outside the VPC: the subnet is not built, so the node group and the control
    // plane, which name it, report it too, at paths the editor has no field for.
    await page.fill('[data-field="vpc.subnets[3].cidr"]', '10.1.16.0/20');
    await page.locator('[data-problem="vpc.subnets[3].cidr"][data-where="inline"]').waitFor();
    for (const path of ['managedNodeGroups[0].subnets[0]', 'cluster.controlPlaneSubnets[0]']) {
      const listed = page.locator(`[data-problem="${path}"][data-where="list"]`);
      assert.equal(await listed.count(), 1, `${path} is listed`);
      assert.match(await listed.textContent(), /no subnet is named `private-a`/);
      assert.equal(await page.locator(`[data-problem="${path}"][data-where="inline"]`).count(), 0);
      assert.equal(await listed.locator('button').count(), 0, 'no field to go to');
    }
    // A problem with a field links to it.
    await page.locator('[data-problem="vpc.subnets[3].cidr"][data-where="list"] button').click();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-field')), 'vpc.subnets[3].cidr');

    // An unknown instance type gets suggestions beside its field.
    await page.fill('[data-field="vpc.subnets[3].cidr"]', '10.0.16.0/20');
    await page.fill('[data-field="managedNodeGroups[0].instanceType"]', 'm5.huge');
    const inline = page.locator('[data-problem="managedNodeGroups[0].instanceType"][data-where="inline"]');
    await inline.waitFor();
    assert.match(await inline.textContent(), /not a known EC2 instance type; did you mean/);
    assert.equal(await page.locator('[data-where="list"]').count(), 1);
    assert.equal(await count(page, 'node'), DEFAULT.node);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('clicking a node opens the inspector with its details', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    // Click the node's header (its centre is on its ENI, which would select the ENI).
    await page.locator('[data-id="node:ng-1-1"]').click({ position: { x: 14, y: 12 } });
    const inspector = page.locator('[data-kind="inspector"]');
    await inspector.waitFor();
    assert.equal(await inspector.getAttribute('data-selected'), 'node:ng-1-1');
    const text = await inspector.textContent();
    for (const fact of ['ng-1-1', 'm5.large', '3 × 10', '2 vCPUs', '8 GiB', 'Max pods', '29', '.ec2.internal', 'private-a']) {
      assert.ok(text.includes(fact), `inspector shows ${fact}`);
    }
    await screenshot(page, 'inspector.png');

    // A link in the inspector selects the related thing.
    await inspector.locator('[data-target="subnet:private-a"]').click();
    await page.waitForSelector('[data-kind="inspector"][data-selected="subnet:private-a"]');
    const subnet = await inspector.textContent();
    for (const fact of ['10.0.16.0/20', 'us-east-1a', '4,096', 'Reserved by AWS', '4,091', 'Free']) {
      assert.ok(subnet.includes(fact), `subnet inspector shows ${fact}`);
    }

    // Keyboard: Enter on a focused IP selects it; Escape closes the inspector.
    await page.locator('[data-id="ip:ng-1-2/eth0/0"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-kind="inspector"][data-selected="ip:ng-1-2/eth0/0"]');
    assert.match(await inspector.textContent(), /warm/);
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('zoom buttons, keys and the wheel change the view; Fit restores it', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    const svg = page.locator('svg.diagram-svg');
    const fitted = await svg.getAttribute('viewBox');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const zoomed = await svg.getAttribute('viewBox');
    assert.notEqual(zoomed, fitted);
    const width = (vb) => Number(vb.split(' ')[2]);
    assert.ok(width(zoomed) < width(fitted));

    await svg.focus();
    await page.keyboard.press('-');
    assert.ok(width(await svg.getAttribute('viewBox')) > width(zoomed));

    const box = await svg.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((w) => {
      const vb = document.querySelector('svg.diagram-svg').getAttribute('viewBox');
      return Number(vb.split(' ')[2]) < w;
    }, width(fitted));

    // Dragging pans without selecting anything.
    const before = await svg.getAttribute('viewBox');
    await page.mouse.move(box.x + 300, box.y + 300);
    await page.mouse.down();
    await page.mouse.move(box.x + 360, box.y + 340, { steps: 4 });
    await page.mouse.up();
    assert.notEqual(await svg.getAttribute('viewBox'), before);
    assert.equal(await page.locator('[data-kind="inspector"]').count(), 0);

    await page.getByRole('button', { name: 'Fit to screen' }).click();
    assert.equal(await svg.getAttribute('viewBox'), fitted);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
