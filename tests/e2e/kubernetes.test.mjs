// Kubernetes actions end to end: failing a node from the inspector (node_actions.rs). The
// default scenario plus a six-replica `web` Deployment is opened through
// a share link; the node ng-1-1 is selected on the diagram and failed with the
// inspector's Fail button. Its web pods reappear on other nodes with new addresses, the node
// is marked failed on the diagram (`[data-kind=node-state]`), and the stepper's six steps each
// highlight shapes (`[data-kind=highlight]`).
//
// Expected placements come from the model through `eksplain describe --json` before and after
// `nodeStates: {ng-1-1: Failed}`.
//
// Screenshots (target/e2e/screenshots/): fail-before.png, fail-after.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, cli, scenarioLink } from './harness.mjs';

const DEFAULT_SCENARIO = JSON.parse(readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));
const TMP = mkdtempSync(join(tmpdir(), 'eksplain-e2e-k8s-'));
function withWeb() {
  const s = structuredClone(DEFAULT_SCENARIO);
  s.name = 'Six web pods';
  s.workloads = [{ name: 'web', replicas: 6, requests: { cpu: '250m', memory: '256Mi' } }];
  return s;
}

function describe(scenario) {
  const file = join(TMP, `scenario-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return JSON.parse(cli(['describe', file, '--json']));
}

/** web pod name → { node, ip } as the model places it. */
const webPods = (d) =>
  Object.fromEntries(d.pods.filter((p) => p.name.startsWith('web-')).map((p) => [p.name, { node: p.node, ip: p.ip }]));

/** web pod name → { node, ip } as the diagram draws it (the pod cell inside its node). */
async function drawnWebPods(page) {
  return page.$$eval('svg [data-kind="pod"][data-id^="pod:default/web-"]', (els) =>
    Object.fromEntries(
      els.map((e) => [
        e.getAttribute('data-id').replace('pod:default/', ''),
        {
          node: e.closest('[data-kind="node"]')?.getAttribute('data-id')?.replace('node:', ''),
          ip: e.closest('[data-kind="ip"]')?.getAttribute('data-id') ?? null,
        },
      ]),
    ),
  );
}

test('failing a node moves its pods to other nodes with new addresses', async () => {
  const scenario = withWeb();
  const before = webPods(describe(scenario));
  const after = webPods(describe({ ...scenario, nodeStates: { 'ng-1-1': 'Failed' } }));
  const onFailed = Object.keys(before).filter((p) => before[p].node === 'ng-1-1');
  assert.ok(onFailed.length > 0, 'ng-1-1 runs web pods');
  for (const p of Object.keys(after)) assert.notEqual(after[p].node, 'ng-1-1');

  const { page, errors, close } = await openApp(scenarioLink(scenario), { viewport: { width: 1600, height: 1000 } });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await page.waitForFunction(() => document.querySelectorAll('svg [data-kind="pod"][data-id^="pod:default/web-"]').length === 6);
    const drawnBefore = await drawnWebPods(page);
    for (const p of Object.keys(before)) assert.equal(drawnBefore[p].node, before[p].node, p);

    await page.locator('svg [data-id="node:ng-1-1"]').click({ position: { x: 30, y: 10 } });
    await page.waitForSelector('[data-kind="inspector"][data-selected="node:ng-1-1"] [data-kind="node-actions"]');
    await screenshot(page, 'fail-before');

    await page.locator('[data-kind="node-actions"] [data-action="fail"]').click();
    await page.waitForSelector('svg [data-kind="node-state"][data-node="ng-1-1"][data-state="failed"]');
    await page.waitForFunction(
      () => ![...document.querySelectorAll('svg [data-kind="pod"][data-id^="pod:default/web-"]')].some((e) => e.closest('[data-id="node:ng-1-1"]')),
    );
    const drawnAfter = await drawnWebPods(page);
    for (const p of onFailed) {
      assert.notEqual(drawnAfter[p].node, 'ng-1-1', `${p} left the failed node`);
      assert.equal(drawnAfter[p].node, after[p].node, `${p} is where the model puts it`);
      assert.notEqual(after[p].ip, before[p].ip, `${p} has a new address`);
    }
    // The stepper: six steps derived from the two clusters; each highlights what it names.
    const steps = page.locator('[data-kind="stepper"] [data-kind="step"]');
    assert.equal(await steps.count(), 6);
    const titles = await steps.locator('.step-title').allTextContents();
    assert.deepEqual(titles, ['Failed', 'pods evicted', 'ReplicaSet recreates', 'scheduler places', 'addresses freed and reassigned', 'endpoints updated']);
    const evicted = (await steps.nth(1).getAttribute('data-ids')).split(' ').map((id) => id.replace('pod:default/', ''));
    for (const p of onFailed) assert.ok(evicted.includes(p), `${p} is listed as evicted`);
    await steps.nth(3).locator('button').click();
    await page.waitForSelector('[data-kind="step"][data-step="4"][aria-current="step"]');
    const placed = (await steps.nth(3).getAttribute('data-ids')).split(' ').filter(Boolean);
    const highlighted = await page.$$eval('svg [data-kind="highlight"]', (els) => els.map((e) => e.getAttribute('data-ref')));
    assert.deepEqual(highlighted.sort(), placed.sort());
    assert.ok(!placed.includes('node:ng-1-1'));
    await steps.nth(1).locator('button').click();
    await screenshot(page, 'fail-after');

    // Restore brings the node back.
    await page.locator('[data-kind="node-actions"] [data-action="restore"]').click();
    await page.waitForFunction(() => document.querySelectorAll('svg [data-kind="node-state"]').length === 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the architecture view walks through kubectl apply step by step', async () => {
  const scenario = withWeb();
  const d = describe(scenario);
  const { page, errors, close } = await openApp('', { viewport: { width: 1600, height: 1000 } });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await page.locator('[data-kind="view-toggle"] [data-view="architecture"]').click();
    await page.waitForSelector('svg[data-kind="architecture"]');
    // The control plane's components, and every node's four agents.
    for (const c of ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'cloud-controller-manager']) {
      assert.equal(await page.locator(`[data-kind="arch-part"][data-id="arch:${c}"]`).count(), 1, c);
    }
    for (const n of d.nodes) {
      for (const a of ['kubelet', 'kube-proxy', 'containerd', 'aws-node']) {
        assert.equal(await page.locator(`[data-kind="arch-part"][data-id="arch:node:${n.name}/${a}"]`).count(), 1, `${n.name}/${a}`);
      }
      // kubelet → API server along the node's endpoint path; API server → kubelet on 10250.
      const up = page.locator(`[data-kind="arch-edge"][data-id="arch-edge:kubelet-api:${n.name}"]`);
      assert.equal(await up.getAttribute('data-to'), 'arch:kube-apiserver');
      const down = page.locator(`[data-kind="arch-edge"][data-id="arch-edge:api-kubelet:${n.name}"]`);
      assert.match(await down.getAttribute('data-via'), /^arch:eks-eni:/);
    }
    // Only the API server talks to etcd.
    const etcd = await page.$$eval('[data-kind="arch-edge"]', (es) =>
      es.filter((e) => [e.dataset.from, e.dataset.to].includes('arch:etcd')).map((e) => e.dataset.from));
    assert.deepEqual(etcd, ['arch:kube-apiserver']);

    const walk = page.locator('[data-kind="walkthrough"]');
    const expected = [
      ['arch:kubectl', 'arch:kube-apiserver', 'arch:etcd'],
      ['arch:kube-controller-manager', 'arch:kube-apiserver', 'arch:etcd'],
      ['arch:kube-scheduler', 'arch:kube-apiserver', `arch:node:${d.nodes[0].name}`],
      [`arch:node:${d.nodes[0].name}/kubelet`, `arch:node:${d.nodes[0].name}/containerd`],
      [`arch:node:${d.nodes[0].name}/aws-node`],
      ['arch:kube-controller-manager', 'arch:kube-apiserver'],
      d.nodes.map((n) => `arch:node:${n.name}/kube-proxy`),
      ['arch:lb-controller', 'arch:elb'],
    ];
    for (let i = 0; i < expected.length; i++) {
      await page.waitForSelector(`[data-kind="walkthrough"][data-step="${i + 1}"]`);
      const lit = await page.$$eval('[data-kind="arch-part"][data-highlight="true"]', (es) => es.map((e) => e.dataset.id));
      assert.deepEqual(lit.sort(), [...expected[i]].sort(), `step ${i + 1}`);
      if (i === 3) await screenshot(page, 'walkthrough');
      if (i + 1 < expected.length) await walk.locator('[data-action="next"]').click();
    }
    assert.ok(await walk.locator('[data-action="next"]').isDisabled());
    await walk.locator('[data-action="back"]').click();
    await page.waitForSelector('[data-kind="walkthrough"][data-step="7"]');
    // Back to the network diagram.
    await page.locator('[data-kind="view-toggle"] [data-view="network"]').click();
    await page.waitForSelector('[data-kind="vpc"]');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('scaling a Deployment from its inspector adds a pod and says where it went', async () => {
  const scenario = withWeb();
  const after = webPods(describe({ ...scenario, workloads: [{ ...scenario.workloads[0], replicas: 7 }] }));
  const { page, errors, close } = await openApp(scenarioLink(scenario), { viewport: { width: 1600, height: 1000 } });
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    // The first view fits the VPC: zoom out to the whole picture, the tray and the control
    // plane beside it.
    for (let i = 0; i < 3; i++) await page.locator('[data-kind="diagram"] [data-action="zoom-out"]').click();
    await page.locator('svg [data-id="workload:default/web"]').click();
    const actions = page.locator('[data-kind="inspector"] [data-kind="node-actions"][data-workload="default/web"]');
    await actions.waitFor();
    await actions.locator('[data-action="scale-up"]').click();
    await page.waitForFunction(() => document.querySelectorAll('svg [data-kind="pod"][data-id^="pod:default/web-"]').length === 7);
    assert.equal(Object.keys(await drawnWebPods(page)).length, Object.keys(after).length);
    const created = (await actions.locator('[data-kind="step"][data-step="1"]').getAttribute('data-ids')).split(' ').filter(Boolean);
    assert.ok(created.length >= 1, 'the new pod is named');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
