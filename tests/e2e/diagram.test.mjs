// The diagram and its editor, end to end: what the default scenario draws, how edits redraw
// it, how an invalid field is reported while the diagram keeps the last valid cluster, and
// how the inspector opens. Elements are found by the DOM contract (data-kind, data-id,
// data-field, data-problem), never by CSS classes or position.
//
// Screenshots (target/e2e/screenshots/): default.png, edited.png, invalid.png, inspector.png.
//
// Expected counts come from the model, not from constants: `eksplain describe --json` (the
// CLI, built by `cargo test` before the e2e tests run) describes the same scenario the page
// draws, so a change to the model's rules (CoreDNS taking addresses, a new warm-pool default)
// moves both together.
//
// How addresses are drawn (the DOM contract for pods): every address the CNI holds on an ENI
// is one `[data-kind=ip]` (warm or used) and every unallocated slot one `[data-kind=slot]`.
// A used address is a group holding its pod: `[data-kind=ip] > [data-kind=pod]`, the pod's
// cell labelled with the address's last octet. Under prefix delegation each /28 is one
// `[data-kind=prefix]` holding its pods. hostNetwork pods (aws-node, kube-proxy) use the
// node's own address and are listed on the node (`[data-kind=host-network]`), not drawn one
// by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, cli, scenarioLink } from './harness.mjs';

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

/** What the diagram should draw of a described cluster. */
function expected(d) {
  const enis = d.nodes.flatMap((n) => n.enis);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  return {
    vpc: 1,
    az: d.vpc.azs.length,
    subnet: d.subnets.length,
    natgw: d.natGateways.length,
    igw: d.vpc.internetGateway ? 1 : 0,
    node: d.nodes.length,
    eni: enis.length,
    ip: sum(enis.map((e) => e.ips.length)),
    prefix: sum(enis.map((e) => e.prefixes.length)),
    slot: sum(enis.map((e) => Math.max(0, e.capacity - e.ips.length - e.prefixes.length))),
    branch: sum(d.nodes.map((n) => n.branchEnis.length)),
    'eks-eni': d.controlPlane.crossAccountEnis.length,
    // Pods with a VPC address: in a slot or prefix, or on a branch ENI.
    podsWithAddress: sum(d.subnets.map((s) => s.breakdown.pods + s.breakdown.branchEnis)),
  };
}

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

test('the default scenario draws its VPC, AZs, subnets, nodes, ENIs, IPs and pods', async () => {
  const model = describe();
  const want = expected(model);
  const { page, errors, close } = await openDiagram();
  try {
    for (const [kind, n] of Object.entries(want)) {
      if (kind === 'podsWithAddress') continue;
      assert.equal(await count(page, kind), n, `[data-kind=${kind}]`);
    }
    // Every IP sits in an ENI of its node, and ids follow the model's scheme.
    const drawn = await page.$$eval('[data-kind="eni"]', (enis) =>
      enis.map((e) => ({
        eni: e.getAttribute('data-id'),
        node: e.closest('[data-kind="node"]').getAttribute('data-id'),
        ips: [...e.querySelectorAll('[data-kind="ip"]')].map((ip) => ip.getAttribute('data-id')),
      })),
    );
    const modelEnis = model.nodes.flatMap((n) => n.enis.map((e) => ({ node: n.name, ...e })));
    assert.deepEqual(drawn.map((e) => e.eni), modelEnis.map((e) => `eni:${e.id}`));
    for (const [i, { node, ips: ids }] of drawn.entries()) {
      const m = modelEnis[i];
      assert.equal(node, `node:${m.node}`);
      assert.equal(ids.length, m.ips.length, `${m.id} holds ${m.ips.length} addresses`);
      ids.forEach((id, k) => assert.equal(id, `ip:${m.id}/${k}`));
    }
    // CoreDNS: its pods sit in used address cells, in the system tone, labelled with their
    // address's last octet; the model's count of pods with an address.
    const pods = await page.$$eval('[data-kind="pod"]', (els) =>
      els.map((p) => ({
        id: p.getAttribute('data-id'),
        in: p.parentElement.getAttribute('data-kind'),
        state: p.parentElement.getAttribute('data-state'),
        label: p.nextElementSibling?.textContent,
        name: p.getAttribute('aria-label'),
      })),
    );
    assert.equal(pods.length, want.podsWithAddress);
    assert.ok(pods.length >= 2, 'CoreDNS has two pods');
    for (const p of pods) {
      assert.match(p.id, /^pod:kube-system\/coredns-/);
      assert.deepEqual([p.in, p.state], ['ip', 'used']);
      assert.match(p.label, /^\.\d+$/);
      assert.ok(p.name.includes(`10.0.`) && p.name.includes(p.label), p.name);
    }
    // aws-node and kube-proxy: listed on every node.
    const pills = await page.$$eval('[data-kind="host-network"]', (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(pills, model.nodes.map(() => '2 hostNetwork pods: aws-node, kube-proxy'));
    // Public subnets are drawn above private ones, and the AZ columns line up.
    const boxes = await page.$$eval('[data-kind="subnet"]', (subnets) =>
      subnets.map((s) => ({ state: s.getAttribute('data-state'), top: s.getBoundingClientRect().top })),
    );
    const lowestPublic = Math.max(...boxes.filter((b) => b.state === 'public').map((b) => b.top));
    const highestPrivate = Math.min(...boxes.filter((b) => b.state === 'private').map((b) => b.top));
    assert.ok(lowestPublic < highestPrivate, 'public subnets above private ones');
    // Every drawn thing is keyboard-reachable and named (lines are decoration, hidden): the
    // diagram is one Tab stop (`tabindex="0"` on the thing the arrow keys are on, `-1` on
    // the others).
    const unnamed = await page.$$eval('svg [data-kind][data-id]:not([aria-hidden="true"])', (els) =>
      els.filter((e) => !e.getAttribute('aria-label') || !['0', '-1'].includes(e.getAttribute('tabindex'))).map((e) => e.getAttribute('data-id')),
    );
    assert.deepEqual(unnamed, []);
    assert.equal(await page.locator('svg.diagram-svg [tabindex="0"]').count(), 1);
    await screenshot(page, 'default.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('editing the node count and the instance type redraws the nodes', async () => {
  const five = expected(describe((s) => (s.managedNodeGroups[0].desiredCapacity = 5)));
  const big = expected(
    describe((s) => {
      s.managedNodeGroups[0].desiredCapacity = 5;
      s.managedNodeGroups[0].instanceType = 'm5.4xlarge';
    }),
  );
  const { page, errors, close } = await openDiagram();
  try {
    await page.fill('[data-field="managedNodeGroups[0].desiredCapacity"]', '5');
    await waitForCount(page, 'node', 5);
    assert.equal(await count(page, 'ip'), five.ip);
    assert.equal(await count(page, 'eni'), five.eni);

    await page.fill('[data-field="managedNodeGroups[0].instanceType"]', 'm5.4xlarge');
    await waitForCount(page, 'ip', big.ip);
    assert.equal(await count(page, 'eni'), big.eni);
    assert.equal(await count(page, 'slot'), big.slot);
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
    const want = expected(describe());
    assert.equal(await count(page, 'node'), want.node);
    assert.equal(await count(page, 'subnet'), want.subnet);
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

test('every kind of invalid document is reported at once, each at its path', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    // The four mistakes of issue 2: overlapping subnets, a /29, a subnet outside the VPC and an
    // unknown instance type — all listed together, each with its path and the model's words.
    await page.fill('[data-field="vpc.subnets[1].cidr"]', '10.0.0.128/25');
    await page.fill('[data-field="vpc.subnets[2].cidr"]', '10.0.2.0/29');
    await page.fill('[data-field="vpc.subnets[5].cidr"]', '10.1.48.0/20');
    await page.fill('[data-field="managedNodeGroups[0].instanceType"]', 'm5.huge');
    const want = {
      'vpc.subnets[1].cidr': /overlaps subnet public-a \(10\.0\.0\.0\/24\)/,
      'vpc.subnets[2].cidr': /is a \/29; a subnet CIDR must be between \/16 and \/28/,
      'vpc.subnets[5].cidr': /outside the VPC's CIDRs \(10\.0\.0\.0\/16\)/,
      'managedNodeGroups[0].instanceType': /`m5\.huge` is not a known EC2 instance type; did you mean/,
    };
    for (const [path, message] of Object.entries(want)) {
      const listed = page.locator(`[data-problem="${path}"][data-where="list"]`);
      await listed.waitFor();
      assert.match(await listed.textContent(), message, path);
    }
    // The diagram keeps the last valid cluster meanwhile.
    assert.equal(await count(page, 'node'), expected(describe()).node);
    await screenshot(page, 'invalid-all.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('problems without a field of their own are still listed', async () => {
  // A flow naming no workload: its path has no field in the side panel, so the problem is
  // only listed, without a button to go to.
  const scenario = structuredClone(DEFAULT_SCENARIO);
  scenario.flows = [{ from: 'pod/nope', to: 'internet' }];
  // Opened as a link: the page starts on this scenario (no diagram to keep before it).
  const { page, errors, close } = await openApp(scenarioLink(scenario));
  try {
    const path = 'flows[0].from';
    const listed = page.locator(`[data-problem="${path}"][data-where="list"]`);
    await listed.waitFor();
    assert.match(await listed.textContent(), /no workload or pod `nope`/);
    assert.equal(await page.locator(`[data-problem="${path}"][data-where="inline"]`).count(), 0);
    assert.equal(await listed.locator('button').count(), 0, 'no field to go to');
    // A subnet that fails its own checks is reported once, at its field — not again where the
    // node group and the control plane name it.
    await page.fill('[data-field="vpc.subnets[3].cidr"]', '10.1.16.0/20');
    await page.locator('[data-problem="vpc.subnets[3].cidr"][data-where="inline"]').waitFor();
    assert.equal(await page.locator('[data-problem="managedNodeGroups[0].subnets[0]"]').count(), 0);
    // A problem with a field links to it.
    await page.locator('[data-problem="vpc.subnets[3].cidr"][data-where="list"] button').click();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-field')), 'vpc.subnets[3].cidr');

    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an unknown instance type gets suggestions beside its field', async () => {
  const { page, errors, close } = await openDiagram();
  try {
    await page.fill('[data-field="managedNodeGroups[0].instanceType"]', 'm5.huge');
    const inline = page.locator('[data-problem="managedNodeGroups[0].instanceType"][data-where="inline"]');
    await inline.waitFor();
    assert.match(await inline.textContent(), /not a known EC2 instance type; did you mean/);
    assert.equal(await page.locator('[data-where="list"]').count(), 1);
    assert.equal(await count(page, 'node'), expected(describe()).node);
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
    const node = describe().nodes[0];
    for (const fact of ['ng-1-1', 'm5.large', '3 × 10', '2 vCPUs', '8 GiB', 'Max pods', String(node.maxPods), node.maxPodsFormula, '.ec2.internal', 'private-a']) {
      assert.ok(text.includes(fact), `inspector shows ${fact}`);
    }
    // It links the page the number follows, in a new tab.
    const doc = inspector.locator('a[href*="choosing-instance-type"]');
    assert.equal(await doc.getAttribute('target'), '_blank');
    assert.equal(await doc.getAttribute('rel'), 'noopener');
    await screenshot(page, 'inspector.png');

    // A link in the inspector selects the related thing.
    await inspector.locator('[data-target="subnet:private-a"]').click();
    await page.waitForSelector('[data-kind="inspector"][data-selected="subnet:private-a"]');
    const subnet = await inspector.textContent();
    for (const fact of ['10.0.16.0/20', 'us-east-1a', '4,096', 'Reserved by AWS', '4,091', '2^(32 − 20) − 5', 'ENI primaries', 'Room for more nodes', 'Free']) {
      assert.ok(subnet.includes(fact), `subnet inspector shows ${fact}`);
    }
    assert.equal(await inspector.locator('a[href$="subnet-sizing.html"]').count(), 1);

    // A pod's cell selects the pod: its address, node and ENI.
    const pod = page.locator('[data-kind="pod"]').first();
    const podId = await pod.getAttribute('data-id');
    await pod.click();
    await page.waitForSelector(`[data-kind="inspector"][data-selected="${podId}"]`);
    const podText = await inspector.textContent();
    for (const fact of ['kube-system', 'coredns', 'Running', 'ng-1-1', 'a secondary IP of eth0']) {
      assert.ok(podText.includes(fact), `pod inspector shows ${fact}`);
    }

    // Keyboard: Enter on a focused IP selects it; Escape closes the inspector.
    const warm = page.locator('[data-kind="ip"][data-state="warm"]').first();
    const warmId = await warm.getAttribute('data-id');
    await warm.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-kind="inspector"][data-selected="${warmId}"]`);
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

    // The keys work wherever the keyboard is in the drawing (its one Tab stop).
    await page.locator('svg.diagram-svg [tabindex="0"]').focus();
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
