// The network settings end to end: prefix delegation redrawing the nodes with /28 prefixes,
// the EKS control plane and its cross-account ENIs, a subnet too small for max pods, pods the
// scheduler cannot place, and the API endpoint going private. Settings are driven by their
// `data-field` (the scenario path), findings read from `[data-kind=findings]` items
// (`data-finding-subject`, `data-severity`) and from the badge on the subject's shape
// (`data-finding` on it, a `[data-severity]` mark inside it).
//
// Expected numbers come from the model through `eksplain describe --json` (see
// diagram.test.mjs), except the few facts the tests are about (29 → 110 max pods on
// m5.large, the scheduler's "Too many pods" message, five control plane components).
//
// Screenshots (target/e2e/screenshots/): pd-before.png, pd-after.png, control-plane.png,
// exhaustion.png, pending.png, private-endpoint.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, cli } from './harness.mjs';

const DEFAULT_SCENARIO = JSON.parse(readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));
const TMP = mkdtempSync(join(tmpdir(), 'eksplain-e2e-'));
/** `eksplain describe --json` of the default scenario after `edit`. */
function describe(edit = () => {}) {
  const scenario = structuredClone(DEFAULT_SCENARIO);
  edit(scenario);
  const file = join(TMP, `scenario-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return JSON.parse(cli(['describe', file, '--json']));
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const count = (page, selector) => page.locator(selector).count();

async function waitForCount(page, selector, test) {
  await page.waitForFunction(
    ([sel, src]) => new Function('n', `return ${src}`)(document.querySelectorAll(sel).length),
    [selector, test],
  );
}

async function openDiagram() {
  const app = await openApp('', { viewport: { width: 1440, height: 900 } });
  await app.page.waitForSelector('[data-kind="vpc"]');
  return app;
}

/** Scrolls the side panel to a setting, so a screenshot shows it. */
async function reveal(page, field) {
  await page.locator(`[data-field="${field}"]`).scrollIntoViewIfNeeded();
}

test('prefix delegation redraws the nodes with /28 prefixes and max pods goes from 29 to 110', async () => {
  const after = describe((s) => (s.cluster.vpcCni.prefixDelegation = true));
  const prefixes = sum(after.nodes.flatMap((n) => n.enis.map((e) => e.prefixes.length)));
  assert.ok(prefixes > 0);
  assert.deepEqual([...new Set(after.nodes.map((n) => n.maxPods))], [110]);
  const { page, errors, close } = await openDiagram();
  try {
    const field = 'cluster.vpcCni.prefixDelegation';
    const node = page.locator('[data-id="node:ng-1-1"]');
    assert.match(await node.textContent(), /max pods 29\b/);
    assert.equal(await count(page, '[data-kind="prefix"]'), 0);
    assert.equal(await page.locator(`[data-field="${field}"]`).isChecked(), false);
    await reveal(page, field);
    await screenshot(page, 'pd-before.png');

    await page.locator(`[data-field="${field}"]`).check();
    await waitForCount(page, '[data-kind="prefix"]', `n === ${prefixes}`);
    assert.match(await node.textContent(), /max pods 110\b/);
    // Secondary IPs gave way to prefixes: no single addresses are held any more.
    assert.equal(await count(page, '[data-kind="ip"]'), 0);
    // Each prefix is a block of 16 cells: its pods and its (unused) addresses.
    const blocks = await page.$$eval('[data-kind="prefix"]', (els) =>
      els.map((p) => ({
        // (The name starts with what the block shows when that is not its description.)
        cidr: p.getAttribute('aria-label').match(/\bPrefix (\S+)/)[1],
        pods: p.querySelectorAll('[data-kind="pod"]').length,
        node: p.closest('[data-kind="node"]').getAttribute('data-id'),
      })),
    );
    const modelPrefixes = after.nodes.flatMap((n) => n.enis.flatMap((e) => e.prefixes.map((cidr) => ({ cidr, node: `node:${n.name}` }))));
    assert.deepEqual(blocks.map(({ cidr, node }) => ({ cidr, node })), modelPrefixes);
    assert.equal(sum(blocks.map((b) => b.pods)), sum(after.subnets.map((s) => s.breakdown.pods)));
    // The inspector explains the new number.
    await node.click({ position: { x: 14, y: 12 } });
    const inspector = page.locator('[data-kind="inspector"][data-selected="node:ng-1-1"]');
    await inspector.waitFor();
    const text = await inspector.textContent();
    assert.ok(text.includes(after.nodes[0].maxPodsFormula), text);
    assert.ok(text.includes('prefix delegation'), 'address mode');
    assert.equal(await inspector.locator('a[href$="cni-increase-ip-addresses.html"]').count(), 1);
    await page.keyboard.press('Escape');
    await page.locator('[data-kind="inspector"]').waitFor({ state: 'detached' });
    await reveal(page, field);
    await screenshot(page, 'pd-after.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the EKS control plane: its components, its cross-account ENIs and their lines', async () => {
  const model = describe();
  const enis = model.controlPlane.crossAccountEnis;
  assert.equal(enis.length, 3);
  const { page, errors, close } = await openDiagram();
  try {
    const cp = page.locator('[data-kind="control-plane"]');
    assert.equal(await cp.count(), 1);
    assert.equal(await cp.getAttribute('data-id'), 'control-plane');
    const components = await page.$$eval('[data-kind="cp-component"]', (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(components, ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'cloud-controller-manager']);
    const cpText = await cp.textContent();
    assert.ok(cpText.includes(`API endpoint: ${model.controlPlane.endpointAccess}`), cpText);
    for (const cidr of model.controlPlane.publicAccessCIDRs) assert.ok(cpText.includes(cidr));
    // Inside the Region, outside the customer VPC.
    const where = await cp.evaluate((e) => ({
      region: e.closest('[data-kind="region"]') !== null,
      vpc: e.closest('[data-kind="vpc"]') !== null,
    }));
    assert.deepEqual(where, { region: true, vpc: false });
    // One cross-account ENI per control plane subnet, in that subnet, with its address.
    const drawn = await page.$$eval('[data-kind="eks-eni"]', (els) =>
      els.map((e) => ({
        id: e.getAttribute('data-id'),
        subnet: e.closest('[data-kind="subnet"]').getAttribute('data-id'),
        text: e.textContent,
      })),
    );
    assert.equal(drawn.length, enis.length);
    for (const [i, e] of enis.entries()) {
      assert.equal(drawn[i].id, `eks-eni:${e.az}`);
      assert.equal(drawn[i].subnet, `subnet:${e.subnet}`);
      assert.ok(drawn[i].text.includes(e.ip));
    }
    assert.equal(await count(page, '[data-kind="eks-link"]'), enis.length);
    // The inspector names the cluster security group and links the endpoint guide.
    // The first view fits the VPC: zoom out to the whole picture, the tray and the control
    // plane beside it.
    for (let i = 0; i < 3; i++) await page.locator('[data-kind="diagram"] [data-action="zoom-out"]').click();
    await cp.click({ position: { x: 40, y: 16 } });
    const inspector = page.locator('[data-kind="inspector"][data-selected="control-plane"]');
    await inspector.waitFor();
    const text = await inspector.textContent();
    assert.ok(text.includes(model.controlPlane.clusterSecurityGroup), text);
    const link = inspector.locator('a[href$="cluster-endpoint.html"]');
    assert.equal(await link.getAttribute('rel'), 'noopener');
    await screenshot(page, 'control-plane.png');
    // A component explains its role.
    await inspector.locator('[data-target="cp-component:etcd"]').click();
    await page.waitForSelector('[data-kind="inspector"][data-selected="cp-component:etcd"]');
    assert.match(await page.locator('[data-kind="inspector"]').textContent(), /store of record/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a subnet too small for max pods shows the exhaustion finding and a marker on the subnet', async () => {
  const model = describe((s) => {
    s.vpc.subnets[3].cidr = '10.0.16.0/26';
    s.managedNodeGroups[0].desiredCapacity = 6;
  });
  const finding = model.findings.find((f) => f.subject === 'subnet:private-a');
  assert.ok(finding, 'the model finds the subnet too small');
  const { page, errors, close } = await openDiagram();
  try {
    await page.fill('[data-field="vpc.subnets[3].cidr"]', '10.0.16.0/26');
    await page.fill('[data-field="managedNodeGroups[0].desiredCapacity"]', '6');
    const item = page.locator('[data-kind="findings"] [data-finding-subject="subnet:private-a"]');
    await item.waitFor();
    assert.equal(await item.getAttribute('data-severity'), finding.severity);
    assert.match(await item.textContent(), /cannot hold max pods/);
    // The subnet carries the finding's mark.
    const subnet = page.locator('[data-kind="subnet"][data-id="subnet:private-a"]');
    assert.equal(await subnet.getAttribute('data-finding'), finding.severity);
    assert.equal(await subnet.locator(':scope > [data-severity]').count(), 1);
    assert.match(await subnet.textContent(), /10\.0\.16\.0\/26/);
    // Clicking the finding selects its subject.
    await item.locator('button').click();
    const inspector = page.locator('[data-kind="inspector"][data-selected="subnet:private-a"]');
    await inspector.waitFor();
    assert.match(await inspector.textContent(), /cannot hold max pods/);
    await screenshot(page, 'exhaustion.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('replicas beyond max pods wait in the Pending tray with the scheduler message', async () => {
  const model = describe((s) => {
    s.workloads = [{ name: 'web', replicas: 100 }];
  });
  const running = sum(model.subnets.map((s) => s.breakdown.pods));
  const { page, errors, close } = await openDiagram();
  try {
    assert.equal(await count(page, '[data-kind="pending"]'), 0);
    await page.fill('[data-field="new-workload.name"]', 'web');
    await page.fill('[data-field="new-workload.replicas"]', '100');
    // No requests: the nodes fill up on max pods, not on CPU (the form offers 250m/256Mi).
    await page.fill('[data-field="new-workload.cpu"]', '');
    await page.fill('[data-field="new-workload.memory"]', '');
    await page.locator('[data-action="add-workload"]').click();
    const tray = page.locator('[data-kind="pending"]');
    await tray.waitFor();
    const message = '0/3 nodes are available: 3 Too many pods.';
    assert.ok((await tray.getAttribute('aria-label')).includes(message));
    assert.ok((await tray.textContent()).replace(/\s+/g, ' ').includes('0/3 nodes are available:'));
    const pending = await count(page, '[data-kind="pending"] [data-kind="pod"][data-state="pending"]');
    assert.ok(pending > 0);
    // The nodes are full: every pod with an address is drawn, in its workload's colour.
    assert.equal(await count(page, '[data-kind="node"] [data-kind="pod"][data-state="used"]'), running);
    const fills = await page.$$eval('[data-kind="node"] [data-kind="pod"]', (els) => {
      const by = {};
      for (const e of els) (by[e.getAttribute('data-id').split('/')[1].split('-')[0]] ??= new Set()).add(getComputedStyle(e).fill);
      return Object.fromEntries(Object.entries(by).map(([k, v]) => [k, [...v]]));
    });
    assert.equal(fills.web.length, 1, 'one colour per workload');
    assert.equal(fills.coredns.length, 1);
    assert.notEqual(fills.web[0], fills.coredns[0]);
    assert.equal(await count(page, '[data-kind="workload"][data-id="workload:default/web"]'), 1);
    // The finding names the workload; clicking it selects the workload.
    const item = page.locator('[data-kind="findings"] [data-finding-subject="workload:default/web"]');
    assert.equal(await item.getAttribute('data-severity'), 'error');
    assert.match(await item.textContent(), /Pending: 0\/3 nodes are available: 3 Too many pods\./);
    await page.locator('[data-field="workloads[0].replicas"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'pending.png');

    // Scaling down empties the tray.
    await page.fill('[data-field="workloads[0].replicas"]', '10');
    await tray.waitFor({ state: 'detached' });
    assert.equal(await item.count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a private-only endpoint shows its finding', async () => {
  const model = describe((s) => {
    s.cluster.clusterEndpoints = { publicAccess: false, privateAccess: true };
  });
  const finding = model.findings.find((f) => f.subject === 'control-plane');
  const { page, errors, close } = await openDiagram();
  try {
    await page.locator('[data-field="cluster.clusterEndpoints.privateAccess"]').check();
    await page.locator('[data-field="cluster.clusterEndpoints.publicAccess"]').uncheck();
    const cp = page.locator('[data-kind="control-plane"]');
    await page.waitForFunction(() => document.querySelector('[data-kind="control-plane"]').textContent.includes('API endpoint: private'));
    const item = page.locator('[data-kind="findings"] [data-finding-subject="control-plane"]').first();
    assert.match(await item.textContent(), /private endpoint only/);
    assert.equal(await item.getAttribute('data-severity'), finding.severity);
    assert.equal(await cp.getAttribute('data-finding'), finding.severity);
    await page.locator('[data-field="cluster.clusterEndpoints.privateAccess"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'private-endpoint.png');
    // Neither endpoint: a problem beside the switches, and the last valid diagram stays.
    await page.locator('[data-field="cluster.clusterEndpoints.privateAccess"]').uncheck();
    const inline = page.locator('[data-problem="cluster.clusterEndpoints"][data-where="inline"]');
    await inline.waitFor();
    assert.match(await inline.textContent(), /at least one endpoint/);
    assert.equal(await count(page, '[data-kind="control-plane"]'), 1);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('custom networking sets up pod subnets in 100.64.0.0/16 in one click', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    await page.locator('[data-field="cluster.vpcCni.customNetworking"]').check();
    await page.waitForSelector('[data-kind="subnet"][data-id="subnet:pods-c"]');
    assert.match(await page.locator('[data-kind="vpc"]').textContent(), /100\.64\.0\.0\/16/);
    for (const az of ['us-east-1a', 'us-east-1b', 'us-east-1c']) {
      const picker = page.locator(`[data-field="cluster.vpcCni.customNetworking.${az}"]`);
      assert.equal(await picker.inputValue(), `pods-${az.slice(-1)}`);
    }
    // Pods now take addresses from the pods subnets: the secondary ENIs live there.
    const podEni = await page.$$eval('[data-kind="pod"]', (els) => els.map((p) => p.closest('[data-kind="eni"]').textContent));
    assert.ok(podEni.length > 0 && podEni.every((t) => /pods-[abc]/.test(t)), podEni.join(' | '));
    assert.equal(await count(page, '[data-kind="problems"][role="alert"]'), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
