// The editor end to end (issue 16, "A complete editor" and "Say what changed"): from the
// default scenario, with clicks and typing only, add a subnet (keeping the suggested CIDR), a
// node group in it, a Deployment with requests and a LoadBalancer Service with
// externalTrafficPolicy Local selecting it; the diagram draws each ([data-kind]/[data-id]) and
// a summary says what moved. Then renumber the VPC, remove what was added, and look at the
// screenshots (editor-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, startServer } from './harness.mjs';

const field = (path) => `[data-field="${path}"]`;
const summary = '[data-kind="change-summary"]';

/** Waits until the change summary says `text`. */
async function summarySays(page, text) {
  try {
    await page.waitForFunction(
      ([sel, t]) => document.querySelector(sel)?.textContent.includes(t),
      [summary, text],
    );
  } catch (e) {
    const shown = await page.locator(summary).textContent().catch(() => '(no summary)');
    throw new Error(`the change summary does not say "${text}": ${shown}`);
  }
}

const nodes = (page) => page.locator('[data-kind="node"]').count();

test('add a subnet, a node group, a Deployment and a LoadBalancer Service; share; renumber; remove', async () => {
  const { page, context, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    assert.equal(await page.locator(summary).count(), 0, 'no summary before an edit');

    // A subnet in a fourth AZ, with the CIDR the form suggests.
    await page.selectOption(field('new-subnet.az'), 'us-east-1d');
    assert.equal(await page.inputValue(field('new-subnet.name')), 'private-d');
    assert.equal(await page.inputValue(field('new-subnet.cidr')), '10.0.3.0/24', 'the next free /24');
    await page.selectOption(field('new-subnet.prefix'), '20');
    assert.equal(await page.inputValue(field('new-subnet.cidr')), '10.0.64.0/20', 'the next free /20');
    await page.getByRole('button', { name: 'Add subnet' }).click();
    await page.waitForSelector('[data-kind="subnet"][data-id="subnet:private-d"]');
    await summarySays(page, 'new subnet private-d (10.0.64.0/20, us-east-1d)');
    assert.equal(await page.getAttribute(summary, 'role'), 'status');
    assert.equal(await page.inputValue(field('vpc.subnets[6].cidr')), '10.0.64.0/20');

    // A node group of two in it.
    await page.getByRole('button', { name: 'Add node group' }).click();
    await page.fill(field('managedNodeGroups[1].subnets'), 'private-d');
    await page.fill(field('managedNodeGroups[1].instanceType'), 'm5.xlarge');
    await page.waitForSelector('[data-kind="node"][data-id="node:ng-2-1"]');
    await page.waitForSelector('[data-kind="node"][data-id="node:ng-2-2"]');
    assert.equal(await nodes(page), 5);
    // The last edit, m5.large → m5.xlarge, moved the new nodes' max pods.
    await summarySays(page, 'max pods 29 → 58 on 2 nodes');
    await screenshot(page, 'editor-node-group.png');

    // A Deployment with real requests: the form's values, not placeholders.
    assert.equal(await page.inputValue(field('new-workload.cpu')), '250m');
    await page.fill(field('new-workload.name'), 'web');
    await page.fill(field('new-workload.replicas'), '4');
    await page.fill(field('new-workload.cpu'), '500m');
    await page.fill(field('new-workload.memory'), '512Mi');
    await page.getByRole('button', { name: 'Add Deployment' }).click();
    await page.waitForSelector('[data-kind="workload"][data-id="workload:default/web"]');
    await summarySays(page, 'running pods');
    const row = page.locator('[data-item="workloads[0]"]');
    assert.match(await row.textContent(), /cpu 500m · memory 512Mi/);

    // A Service selecting it, made a LoadBalancer with ETP Local, internet-facing.
    await page.getByRole('button', { name: 'Add Service' }).click();
    assert.equal(await page.inputValue(field('services[0].name')), 'web');
    assert.equal(await page.inputValue(field('services[0].selector')), 'app=web');
    await page.selectOption(field('services[0].type'), 'LoadBalancer');
    await page.selectOption(field('services[0].externalTrafficPolicy'), 'Local');
    await page.selectOption(field('services[0].loadBalancer.scheme'), 'internet-facing');
    await page.waitForSelector('[data-kind="lb"][data-id="lb:default/web"]');
    await page.waitForSelector('[data-kind="service"][data-id="service:default/web"]');
    await summarySays(page, 'default/web');
    // Traced from the internet, the flow panel's toggle says which Service it edits.
    await page.selectOption('[data-kind="flow-from"]', 'internet');
    await page.selectOption('[data-kind="flow-to"]', 'service/web');
    const etp = page.locator('[data-toggle="etp"][data-value="Local"]');
    await etp.waitFor();
    assert.equal(await etp.getAttribute('aria-pressed'), 'true');
    assert.match(
      await page.locator('[role="group"]:has([data-toggle="etp"])').textContent(),
      /externalTrafficPolicy of default\/web: Local/,
    );
    assert.equal(await page.locator('[data-kind="problems"][role="status"]').count(), 1, 'the scenario builds');
    await screenshot(page, 'editor-service.png');

    // Shared now, the link opens the same cluster on the same flow in a fresh browser.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('[data-kind="share"]');
    await page.waitForSelector('[data-kind="share-status"]');
    const shared = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(shared, /#s=1\.[^&]+&.*flow=internet-%3Eservice%2Fweb|#s=1\.[^&]+&.*flow=internet-%3Eservice\/web/, shared);
    const { base } = await startServer();
    const fresh = await openApp(shared.slice(base.length));
    try {
      await fresh.page.waitForSelector('[data-kind="flow-panel"][data-flow="internet->service/web"]');
      await fresh.page.waitForSelector('svg [data-kind="flow-path"]');
      assert.equal(await fresh.page.locator('[data-kind="node"][data-id^="node:ng-2-"]').count(), 2, 'the new node group');
      assert.equal(await fresh.page.locator('[data-kind="lb"][data-id="lb:default/web"]').count(), 1);
      assert.equal(
        await fresh.page.locator('[data-toggle="etp"][data-value="Local"]').getAttribute('aria-pressed'),
        'true',
      );
      await screenshot(fresh.page, 'editor-shared.png');
      assert.deepEqual(fresh.errors, []);
    } finally {
      await fresh.close();
    }

    // Dismissed, the summary goes until the next edit.
    await page.locator('[data-action="dismiss-change"]').click();
    await page.waitForSelector(summary, { state: 'detached' });

    // A new VPC CIDR: first too small (said why), then one the subnets move into.
    await page.fill(field('vpc.cidr'), '10.1.0.0/24');
    const offer = page.locator('[data-kind="renumber-offer"]');
    await offer.waitFor();
    assert.match(await offer.textContent(), /Cannot renumber: the 7 subnets of 10\.0\.0\.0\/16 do not fit in 10\.1\.0\.0\/24/);
    await page.fill(field('vpc.cidr'), '10.1.0.0/16');
    await page.getByRole('button', { name: 'Renumber subnets into 10.1.0.0/16' }).click();
    await offer.waitFor({ state: 'detached' });
    assert.equal(await page.inputValue(field('vpc.subnets[3].cidr')), '10.1.16.0/20');
    assert.equal(await page.inputValue(field('vpc.subnets[6].cidr')), '10.1.64.0/20');
    await page.waitForSelector('[data-kind="problems"][role="status"]');
    await summarySays(page, 'private-a: 10.0.16.0/20 → 10.1.16.0/20');
    await screenshot(page, 'editor-renumbered.png');

    // Remove the node group, then its subnet.
    await page.getByRole('button', { name: 'Remove ng-2' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-kind="node"]').length === 3);
    await summarySays(page, 'nodes 5 → 3');
    await page.getByRole('button', { name: 'Remove private-d' }).click();
    await page.waitForSelector('[data-kind="subnet"][data-id="subnet:private-d"]', { state: 'detached' });
    await summarySays(page, 'subnet private-d removed');
    await page.waitForSelector('[data-kind="problems"][role="status"]');
    await screenshot(page, 'editor-removed.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('every field of an item is validated in place', async () => {
  const { page, errors, close } = await openApp();
  try {
    await page.waitForSelector('[data-kind="vpc"]');
    await page.getByRole('button', { name: 'Add Service' }).click();
    await page.fill(field('services[0].ports'), '80:http');
    const problem = page.locator('[data-problem="services[0].ports"][data-where="inline"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /targetPort: `http` is not a port/);
    await page.fill(field('services[0].ports'), '80:8080');
    await problem.waitFor({ state: 'detached' });
    // A name the model refuses, next to its field.
    await page.fill(field('services[0].name'), 'Web_1');
    const name = page.locator('[data-problem="services[0].name"][data-where="inline"]');
    await name.waitFor();
    await screenshot(page, 'editor-invalid-field.png');
    await page.fill(field('services[0].name'), 'web');
    await name.waitFor({ state: 'detached' });
    // Duplicated, the copy comes with its form open, named apart.
    await page.locator('[data-item="services[0]"] [data-action="duplicate"]').click();
    await page.waitForSelector(field('services[1].name'));
    assert.equal(await page.inputValue(field('services[1].name')), 'web-copy');
    assert.equal(await page.locator(field('services[0].name')).count(), 0, 'one form open at a time');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
