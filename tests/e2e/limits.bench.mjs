// In-browser benchmark, run by `cargo xtask bench` (not an e2e test: the file does not end in
// .test.mjs): opening a link at each documented limit (src/scenario/limits.rs, docs/limits.md)
// and just past it, in a fresh browser context each time. For each it records, by the Long
// Tasks API, the longest main-thread task from navigation until the diagram or the problem
// list is on screen, and the time that took. Issue 11's budget: no task over 1 s. Writes
// target/bench/limits.json and target/bench/limits.md (a table the bench report includes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, REPO_ROOT, cli, LONG_TASKS, mainThreadBlocked } from './harness.mjs';

const BUDGET_MS = 1000;
const TMP = mkdtempSync(join(tmpdir(), 'eksplain-limits-bench-'));
const base = () => JSON.parse(readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/** Scenarios with one list at its limit (and one past it), each named after the field. */
const CASES = [
  ['vpc.secondaryCidrs', 49, (s, n) => { s.vpc.secondaryCidrs = range(n, (i) => `100.64.${i}.0/24`); }],
  ['vpc.subnets', 2000, (s, n) => {
    // /28s above the default's subnets, in the three AZs.
    s.vpc.subnets.push(...range(n - s.vpc.subnets.length, (i) => ({
      name: `extra-${i}`, az: `us-east-1${'abc'[i % 3]}`, cidr: `10.0.${128 + (i >> 4)}.${(i % 16) * 16}/28`,
    })));
  }],
  ['managedNodeGroups', 300, (s, n) => {
    s.managedNodeGroups = range(n, (i) => ({
      name: `ng-${i}`, instanceType: 'm5.large', desiredCapacity: 1, subnets: ['private-a', 'private-b', 'private-c'],
    }));
  }],
  ['workloads', 10000, (s, n) => {
    s.managedNodeGroups[0].desiredCapacity = 100;
    s.workloads = range(n, (i) => ({ name: `w-${i}`, requests: { cpu: '10m', memory: '16Mi' } }));
  }],
  ['services', 10000, (s, n) => {
    s.workloads = [{ name: 'web', replicas: 3, requests: { cpu: '100m', memory: '64Mi' } }];
    s.services = range(n, (i) => ({ name: `svc-${i}`, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }));
  }],
  ['ingresses', 10000, (s, n) => {
    s.workloads = [{ name: 'web', replicas: 3, requests: { cpu: '100m', memory: '64Mi' } }];
    s.services = [{ name: 'web', selector: { app: 'web' }, type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] }];
    s.ingresses = range(n, (i) => ({ name: `ing-${i}`, rules: [{ path: '/', service: 'web', port: 80 }] }));
  }],
  ['flows', 1000, (s, n) => {
    s.workloads = [{ name: 'web', replicas: 3, requests: { cpu: '100m', memory: '64Mi' } }];
    s.services = [{ name: 'web', selector: { app: 'web' }, type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080 }] }];
    s.flows = range(n, () => ({ from: 'internet', to: 'service/web' }));
  }],
  ['securityGroups', 2500, (s, n) => {
    s.securityGroups = range(n, (i) => ({ id: `sg-${(i + 1).toString(16).padStart(17, '0')}`, ingress: [{ ports: '443', from: '10.0.0.0/16' }] }));
  }],
  ['securityGroups[].ingress', 1000, (s, n) => {
    s.securityGroups = [{ id: 'sg-0123456789abcdef0', ingress: range(n, (i) => ({ ports: String(1000 + i), from: '10.0.0.0/16' })) }];
  }],
  ['cluster.publicAccessCIDRs', 40, (s, n) => { s.cluster.publicAccessCIDRs = range(n, (i) => `203.0.${i}.0/24`); }],
];

/** The link of a scenario file (the CLI's codec, as the page's Share button writes it). */
function linkOf(name, scenario) {
  const file = join(TMP, `${name.replace(/[^a-z]/gi, '_')}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return cli(['link', file]).trim();
}

/** Opens a link in a fresh context and measures until the diagram or the problems show. */
async function measure(link) {
  const { page, errors, close } = await openApp(link, { initScript: LONG_TASKS, waitForApp: false });
  try {
    await page.waitForSelector('[data-kind="vpc"], [data-kind="problems"] li', { timeout: 120000 });
    const shown = await page.evaluate(() => (document.querySelector('[data-kind="problems"] li') ? 'problems' : 'diagram'));
    const { longestMs, nowMs } = await mainThreadBlocked(page);
    return { longestMs, shownMs: nowMs, shown, errors: [...errors] };
  } finally {
    await close();
  }
}

const rows = [];

for (const [field, limit, fill] of CASES) {
  test(`a link at the limit of ${field} (${limit.toLocaleString('en-US')})`, { timeout: 600000 }, async () => {
    for (const [what, n] of [['at', limit], ['past', limit + 1]]) {
      const s = base();
      fill(s, n);
      const link = linkOf(`${field}-${n}`, s);
      const r = await measure(link);
      rows.push({ field, what, n, linkChars: link.length, ...r });
      console.log(`${field} ${what} ${n}: ${r.shown} after ${r.shownMs.toFixed(0)} ms, longest task ${r.longestMs.toFixed(0)} ms, link ${link.length} chars`);
      assert.deepEqual(r.errors, []);
    }
  });
}

test('a link at 5,000 nodes / 150,000 pods (eksplain example --nodes 5000)', { timeout: 600000 }, async () => {
  const file = join(TMP, 'nodes-5000.json');
  writeFileSync(file, cli(['example', '--nodes', '5000']));
  const url = cli(['link', file]).trim();
  const r = await measure(url);
  rows.push({ field: 'nodes (and pods)', what: 'at', n: 5000, linkChars: url.length, ...r });
  console.log(`5,000 nodes: ${r.shown} after ${r.shownMs.toFixed(0)} ms, longest task ${r.longestMs.toFixed(0)} ms`);
  assert.deepEqual(r.errors, []);
  // The read-only embed.html builds in one task: measured too.
  const e = await measure('embed.html' + url);
  rows.push({ field: 'nodes (and pods), embed.html', what: 'at', n: 5000, linkChars: url.length, ...e });
  assert.deepEqual(e.errors, []);
});

test('write target/bench/limits.json and limits.md', () => {
  const dir = join(REPO_ROOT, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'limits.json'), JSON.stringify(rows, null, 2));
  const worst = Math.max(...rows.map((r) => r.longestMs));
  const lines = [
    `Opening a link at each documented limit and one past it (fresh browser context each; the longest main-thread task by the Long Tasks API, from navigation until the diagram or the problem list shows). Budget: no task over ${BUDGET_MS} ms. Worst: **${worst.toFixed(0)} ms** — ${worst < BUDGET_MS ? 'met' : 'missed'}.`,
    '',
    '| field | count | link (chars) | shows | on screen after | longest task | verdict |',
    '|---|---:|---:|---|---:|---:|---|',
    ...rows.map((r) => `| \`${r.field}\` | ${r.n.toLocaleString('en-US')} (${r.what} the limit) | ${r.linkChars.toLocaleString('en-US')} | ${r.shown} | ${r.shownMs.toFixed(0)} ms | ${r.longestMs.toFixed(0)} ms | ${r.longestMs < BUDGET_MS ? 'met' : 'missed'} |`),
  ];
  writeFileSync(join(dir, 'limits.md'), lines.join('\n') + '\n');
  console.log(lines.join('\n'));
});
