// Traffic end to end: the gallery's externalTrafficPolicy scenario loaded into the page
// (through a share link, as a reader opens it), its first flow traced in the flow panel
// (`[data-kind=flow-panel]`), then externalTrafficPolicy toggled to Local on the same service:
// the client-IP badge, the share bars on the diagram's pods (`[data-kind=share]`) and the hop
// table change together.
//
// Expected values come from the model through `eksplain trace --json`, and the two facts the
// test is about: Cluster gives every web pod 1/3 and the pod sees a node's address; Local gives
// 1/4, 1/4, 1/2 and the pod sees the client, 203.0.113.50.
//
// Screenshots (target/e2e/screenshots/): etp-cluster.png, etp-local.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, cli, scenarioLink } from './harness.mjs';

const ETP_FILE = join(REPO_ROOT, 'static/scenarios/gallery/etp-cluster-vs-local.json');
const ETP = readFileSync(ETP_FILE, 'utf8');
const TMP = mkdtempSync(join(tmpdir(), 'eksplain-e2e-traffic-'));
/** `eksplain trace --json` of `flow` over the scenario after `edit`. */
function trace(flow, edit = () => {}) {
  const scenario = JSON.parse(ETP);
  edit(scenario);
  const file = join(TMP, `scenario-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return JSON.parse(cli(['trace', file, '--flow', flow, '--json']));
}

/** Opens the app on a share link of a scenario document. */
async function openWith(json) {
  const app = await openApp(scenarioLink(json), { viewport: { width: 1600, height: 1000 } });
  await app.page.waitForSelector('[data-kind="vpc"]');
  return app;
}

/** `[data-pod-id] → data-share` of the share bars drawn on the diagram. */
async function diagramShares(page) {
  return page.$$eval('svg [data-kind="share"]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.podId, e.dataset.share])),
  );
}

test('externalTrafficPolicy Cluster → Local changes the client IP and the shares', async () => {
  const flow = 'internet->service/web-cluster';
  const cluster = trace(flow);
  const local = trace(flow, (s) => {
    s.services.find((x) => x.name === 'web-cluster').externalTrafficPolicy = 'Local';
  });
  assert.deepEqual(cluster.shares.map((s) => s.fraction), ['1/3', '1/3', '1/3']);
  assert.deepEqual(local.shares.map((s) => s.fraction).sort(), ['1/2', '1/4', '1/4']);
  assert.equal(local.clientIpSeen, '203.0.113.50');

  const { page, errors, close } = await openWith(ETP);
  const panel = page.locator('[data-kind="flow-panel"]');
  await page.waitForSelector(`[data-kind="flow-panel"][data-flow="${flow}"]`);
  await page.waitForSelector('[data-kind="hop-table"] [data-kind="hop"]');

  // Cluster: every web pod 1/3, the pod sees the node's address.
  assert.equal(await panel.locator('[data-toggle="etp"][data-value="Cluster"]').getAttribute('aria-pressed'), 'true');
  const badge = panel.locator('[data-kind="client-ip-badge"]');
  assert.equal(await badge.getAttribute('data-preserved'), 'no');
  assert.equal(await badge.getAttribute('data-ip'), cluster.clientIpSeen);
  assert.match(await badge.textContent(), new RegExp(cluster.clientIpSeen.replaceAll('.', '\\.')));
  assert.notEqual(cluster.clientIpSeen, '203.0.113.50');
  const expectCluster = Object.fromEntries(cluster.shares.map((s) => [`pod:default/${s.pod}`, s.fraction]));
  assert.deepEqual(await diagramShares(page), expectCluster);
  assert.equal(await panel.locator('[data-kind="hop"]').count(), cluster.hops.length);
  assert.deepEqual(
    await panel.locator('[data-kind="hop"]').evaluateAll((rows) => rows.map((r) => r.dataset.at)),
    cluster.hops.map((h) => h.at),
  );
  assert.equal(await page.locator('[data-kind="verdict"]').getAttribute('data-verdict'), 'delivered');
  assert.ok((await page.locator('svg [data-kind="flow-path"] polyline').count()) === 1, 'the path is drawn');
  await screenshot(page, 'etp-cluster');

  // Local: the shares follow the pods per node, the pod sees the client.
  await panel.locator('[data-toggle="etp"][data-value="Local"]').click();
  await page.waitForSelector('[data-kind="client-ip-badge"][data-preserved="yes"]');
  assert.equal(await badge.getAttribute('data-ip'), '203.0.113.50');
  assert.match(await badge.textContent(), /203\.0\.113\.50/);
  const expectLocal = Object.fromEntries(local.shares.map((s) => [`pod:default/${s.pod}`, s.fraction]));
  assert.deepEqual(await diagramShares(page), expectLocal);
  const fractions = Object.values(await diagramShares(page)).sort();
  assert.deepEqual(fractions, ['1/2', '1/4', '1/4']);
  // The node with no web pod gets nothing, and says why.
  assert.equal(
    await panel.locator('[data-kind="unhealthy-node"]').count(),
    local.unhealthyNodes.length,
  );
  assert.ok(local.unhealthyNodes.length >= 1);
  assert.equal(await page.locator('svg [data-kind="no-share"]').count(), local.unhealthyNodes.length);
  // The side panel's draft changed too: the same edit path.
  assert.equal(await panel.locator('[data-toggle="etp"][data-value="Local"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('[data-kind="explanation"]').textContent(), local.explanation);
  await screenshot(page, 'etp-local');

  // Another flow from the picker: the scenario's second.
  await page.locator('[data-kind="flow-picker"]').selectOption('internet->service/web-local');
  await page.waitForSelector('[data-kind="flow-panel"][data-flow="internet->service/web-local"]');
  assert.equal(await badge.getAttribute('data-preserved'), 'yes');
  assert.deepEqual(errors, []);
  await close();
});

test('ALBs sit in their subnets, Services in the service-CIDR band, and any pair can be traced', async () => {
  const file = join(REPO_ROOT, 'static/scenarios/gallery/ingress-groups.json');
  const json = readFileSync(file, 'utf8');
  const d = JSON.parse(cli(['describe', file, '--json']));
  const { page, errors, close } = await openWith(json);
  await page.waitForSelector('svg [data-kind="ingress"]');
  const lbNodes = d.loadBalancers.reduce((n, l) => n + l.nodes.length, 0);
  assert.equal(await page.locator('svg [data-kind="lb"]').count(), d.loadBalancers.length);
  assert.equal(await page.locator('svg [data-kind="lb-node"]').count(), lbNodes);
  // Each load balancer node is drawn inside its subnet.
  const inside = await page.$$eval('svg [data-kind="lb-node"]', (els) => els.every((e) => {
    const az = e.dataset.az;
    const r = e.getBoundingClientRect();
    return [...document.querySelectorAll('svg [data-kind="subnet"]')].some((s) => {
      const b = s.getBoundingClientRect();
      return s.closest('[data-kind="az"]')?.getAttribute('data-id') === `az:${az}` &&
        r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
    });
  }));
  assert.ok(inside, 'every load balancer node is inside a subnet of its AZ');
  const user = d.services.filter((s) => !['kubernetes', 'kube-dns'].includes(s.name));
  assert.equal(await page.locator('svg [data-kind="service"]').count(), user.length);
  for (const s of user) {
    const shape = page.locator(`svg [data-kind="service"][data-id="service:${s.namespace}/${s.name}"]`);
    assert.equal(await shape.getAttribute('data-cluster-ip'), s.clusterIp);
    assert.equal(await shape.getAttribute('data-type'), s.type);
  }
  assert.equal(await page.locator('svg [data-kind="ingress"]').count(), d.ingresses.length);
  for (const i of d.ingresses) {
    assert.match(await page.locator(`svg [data-kind="ingress"][data-id="ingress:${i.namespace}/${i.name}"]`).textContent(), /ALB/);
  }

  // A pair of places that is not among the scenario's flows.
  const expected = JSON.parse(cli(['trace', file, '--flow', 'kubectl->apiserver', '--json']));
  await page.locator('[data-kind="flow-from"]').selectOption('kubectl');
  await page.locator('[data-kind="flow-to"]').selectOption('apiserver');
  await page.waitForSelector('[data-kind="flow-panel"][data-flow="kubectl->apiserver"]');
  assert.equal(await page.locator('[data-kind="verdict"]').getAttribute('data-verdict'), expected.verdict);
  assert.equal(await page.locator('[data-kind="hop"]').count(), expected.hops.length);
  assert.deepEqual(errors, []);
  await close();
});

test('load balancers, their nodes, Services and Ingresses open inspector pages', async () => {
  const file = join(REPO_ROOT, 'static/scenarios/gallery/ingress-groups.json');
  const d = JSON.parse(cli(['describe', file, '--json']));
  const { page, errors, close } = await openWith(readFileSync(file, 'utf8'));
  const inspector = page.locator('[data-kind="inspector"]');
  const lb = d.loadBalancers[0];
  const node = lb.nodes[0];
  // One AZ's node of the ALB: its addresses and its subnet.
  await page.locator(`svg [data-kind="lb-node"][data-id="lb:${lb.name}/${node.az}"]`).click();
  await page.waitForSelector(`[data-kind="inspector"][data-selected="lb:${lb.name}/${node.az}"]`);
  let text = await inspector.textContent();
  assert.ok(text.includes(node.privateIp), `the node's address ${node.privateIp} in: ${text}`);
  // Up to the load balancer: its scheme, targets and the Ingresses it serves.
  await inspector.locator(`[data-target="lb:${lb.name}"]`).click();
  await page.waitForSelector(`[data-kind="inspector"][data-selected="lb:${lb.name}"]`);
  text = await inspector.textContent();
  assert.ok(text.includes('Application Load Balancer'), text);
  assert.ok(text.includes(lb.dnsName), `DNS name ${lb.dnsName}`);
  // Who made it, where its scheme comes from, how its subnets were found.
  assert.ok(text.includes('Made by') && text.includes('AWS Load Balancer Controller'), text);
  assert.ok(text.includes('set by the Ingress'), text);
  assert.ok(text.includes('at least 8 free addresses'), text);
  await screenshot(page, 'inspector-lb.png');
  // On to an Ingress, then its backend Service.
  const ingress = page.locator('[data-kind="inspector"] [data-target^="ingress:"]').first();
  await ingress.click();
  await page.waitForSelector('[data-kind="inspector"][data-selected^="ingress:"]');
  await page.locator('[data-kind="inspector"] [data-target^="service:"]').first().click();
  await page.waitForSelector('[data-kind="inspector"][data-selected^="service:"]');
  const id = await inspector.getAttribute('data-selected');
  const svc = d.services.find((s) => id === `service:${s.namespace}/${s.name}`);
  text = await inspector.textContent();
  assert.ok(text.includes(svc.clusterIp), `ClusterIP ${svc.clusterIp} in: ${text}`);
  assert.ok(!text.includes('not part of the current cluster'));
  await screenshot(page, 'inspector-service.png');
  assert.deepEqual(errors, []);
  await close();
});

test("an in-tree Classic LB without a scheme is internet-facing, and the inspector says it is the provider's default", async () => {
  const scenario = JSON.parse(ETP);
  scenario.services[0].loadBalancer = { kind: 'clb', controller: 'in-tree' };
  const { page, errors, close } = await openWith(JSON.stringify(scenario));
  const id = `lb:default/${scenario.services[0].name}`;
  // One of its nodes, then up to the load balancer itself.
  await page.locator(`svg [data-kind="lb-node"][data-id^="${id}/"]`).first().click();
  await page.waitForSelector(`[data-kind="inspector"][data-selected^="${id}/"]`);
  await page.locator(`[data-kind="inspector"] [data-target="${id}"]`).click();
  await page.waitForSelector(`[data-kind="inspector"][data-selected="${id}"]`);
  const text = await page.locator('[data-kind="inspector"]').textContent();
  assert.ok(text.includes('Classic Load Balancer'), text);
  assert.ok(text.includes('in-tree cloud provider'), text);
  assert.ok(text.includes("the in-tree provider's default: internet-facing"), text);
  await screenshot(page, 'inspector-clb-default-scheme.png');
  assert.deepEqual(errors, []);
  await close();
});

test('toggling externalTrafficPolicy back and forth redraws the trace, the path and the shares each time', async () => {
  // A toggle of a service's traffic policy changes nothing the layout reads, so the page keeps
  // the drawn scene (src/ui/reuse.rs) and redraws only the traffic: this checks that the
  // traffic is redrawn every time, from the model's own trace.
  const flow = 'internet->service/web-cluster';
  const expected = {
    Cluster: trace(flow),
    Local: trace(flow, (s) => {
      s.services.find((x) => x.name === 'web-cluster').externalTrafficPolicy = 'Local';
    }),
  };
  const addresses = (t) => t.hops.map((h) => `${h.src} → ${h.dst}`);
  assert.notDeepEqual(addresses(expected.Local), addresses(expected.Cluster), 'the toggle rewrites addresses');

  const { page, errors, close } = await openWith(ETP);
  const panel = page.locator('[data-kind="flow-panel"]');
  await page.waitForSelector(`[data-kind="flow-panel"][data-flow="${flow}"]`);
  const nodes = await page.locator('svg [data-kind="node"]').count();
  for (const policy of ['Local', 'Cluster', 'Local', 'Cluster']) {
    await panel.locator(`[data-toggle="etp"][data-value="${policy}"]`).click();
    await page.waitForSelector(`[data-toggle="etp"][data-value="${policy}"][aria-pressed="true"]`);
    const t = expected[policy];
    await page.waitForSelector(`[data-kind="client-ip-badge"][data-ip="${t.clientIpSeen}"]`);
    // Every hop's addresses in the hop table.
    assert.deepEqual(
      await panel.locator('[data-kind="hop"] .hop-addr').evaluateAll((cells) => cells.map((c) => c.textContent)),
      addresses(t),
      `hop table after ${policy}`,
    );
    // The path on the diagram stops at the hops the diagram draws, in the trace's order.
    const drawn = await page.evaluate(
      (hops) => hops.filter((at) => document.querySelector(`svg [data-id="${CSS.escape(at)}"]`)),
      t.hops.map((h) => h.at),
    );
    const stops = await page.locator('svg [data-kind="flow-stop"]').evaluateAll((els) => els.map((e) => e.dataset.at));
    assert.deepEqual(stops, drawn.filter((at, i) => at !== drawn[i - 1]), `path after ${policy}`);
    assert.ok(stops.length >= 3, `a path of ${stops.length} stops`);
    // The share bars on the pods.
    assert.deepEqual(
      await diagramShares(page),
      Object.fromEntries(t.shares.map((s) => [`pod:default/${s.pod}`, s.fraction])),
      `shares after ${policy}`,
    );
    assert.equal(await page.locator('svg [data-kind="node"]').count(), nodes, 'the same nodes are drawn');
  }
  assert.deepEqual(errors, []);
  await close();
});
