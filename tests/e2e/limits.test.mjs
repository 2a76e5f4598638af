// Hostile links in the page: a scenario past the documented limits is refused by the count
// (one problem per field, no per-item work), and one within the limits but with thousands of
// problems lists a hundred of them and counts the rest (`scenario::summarize`, as the CLI).
//
// Screenshots (target/e2e/screenshots/): limits-refused.png, problems-capped.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot, REPO_ROOT, cli, LONG_TASKS, mainThreadBlocked } from './harness.mjs';

const DEFAULT_SCENARIO = JSON.parse(readFileSync(join(REPO_ROOT, 'static/scenarios/default.json'), 'utf8'));
const TMP = mkdtempSync(join(tmpdir(), 'eksplain-e2e-limits-'));

/** The share link of the default scenario with `cidrs` secondary CIDRs and `stray` subnets outside the VPC. */
function link(cidrs, stray) {
  const s = structuredClone(DEFAULT_SCENARIO);
  s.vpc.secondaryCidrs = Array.from({ length: cidrs }, (_, i) => `100.${64 + (Math.floor(i / 256) % 64)}.${i % 256}.0/24`);
  for (let i = 0; i < stray; i++) {
    s.vpc.subnets.push({ name: `stray-${i}`, az: 'us-east-1a', cidr: `172.${16 + (Math.floor(i / 256) % 16)}.${i % 256}.0/24` });
  }
  const file = join(TMP, `limits-${cidrs}-${stray}.json`);
  writeFileSync(file, JSON.stringify(s));
  return cli(['link', file]).trim();
}

/** Opening a hostile link never blocks the page's main thread for a second (issue 11): the
 * longest task from navigation to the refusal on screen, by the Long Tasks API. */
async function assertNeverFrozen(page, what) {
  const { longestMs, nowMs } = await mainThreadBlocked(page);
  console.log(`${what}: longest main-thread task ${longestMs.toFixed(0)} ms; refusal on screen ${nowMs.toFixed(0)} ms after navigation`);
  assert.ok(longestMs < 1000, `${what}: the main thread was blocked for ${longestMs.toFixed(0)} ms`);
}

test('2,000 secondary CIDRs and 2,000 stray subnets are refused by the count', async () => {
  const { page, errors, close } = await openApp(link(2000, 2000), { initScript: LONG_TASKS });
  try {
    const cidrs = page.locator('[data-problem="vpc.secondaryCidrs"][data-where="list"]');
    await cidrs.waitFor();
    await assertNeverFrozen(page, '2,000 CIDRs + 2,000 stray subnets');
    assert.match(await cidrs.textContent(), /2,000 secondary CIDR blocks; a VPC holds at most 49 \(AWS quota "IPv4 CIDR blocks per VPC"/);
    assert.match(await page.locator('[data-problem="vpc.subnets"][data-where="list"]').textContent(), /2,006 subnets; a VPC holds at most 2,000/);
    assert.equal(await page.locator('[data-kind="problems"] li').count(), 2);
    await screenshot(page, 'limits-refused.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('20,000 secondary CIDRs alone are refused by the count', async () => {
  const { page, errors, close } = await openApp(link(20000, 0), { initScript: LONG_TASKS });
  try {
    const cidrs = page.locator('[data-problem="vpc.secondaryCidrs"][data-where="list"]');
    await cidrs.waitFor();
    await assertNeverFrozen(page, '20,000 CIDRs');
    assert.match(await cidrs.textContent(), /20,000 secondary CIDR blocks; a VPC holds at most 49/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('thousands of problems within the limits: a hundred listed, the rest counted', async () => {
  const { page, errors, close } = await openApp(link(40, 1900), { initScript: LONG_TASKS });
  try {
    const more = page.locator('[data-kind="problems"] [data-where="more"]');
    await more.waitFor();
    await assertNeverFrozen(page, '40 CIDRs + 1,900 stray subnets');
    assert.equal(await more.textContent(), 'and 1,800 more problems of the same kind at vpc.subnets[*].cidr');
    assert.equal(await page.locator('[data-kind="problems"] [data-where="list"]').count(), 100);
    assert.match(await page.locator('[data-kind="problems"] h2').textContent(), /1,900 problems/);
    assert.match(
      await page.locator('[data-problem="vpc.subnets[6].cidr"][data-where="list"]').textContent(),
      /172\.16\.0\.0\/24 is outside the VPC's CIDRs \(10\.0\.0\.0\/16 and 40 secondary CIDRs\)/,
    );
    await more.scrollIntoViewIfNeeded();
    await screenshot(page, 'problems-capped.png');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('embed.html lists a hundred problems too, and counts the rest', async () => {
  const { page, errors, close } = await openApp('embed.html' + link(40, 1900), { waitForApp: false, initScript: LONG_TASKS });
  try {
    const problems = page.locator('[data-kind="embed-view"] [data-kind="problems"]');
    await problems.waitFor();
    await assertNeverFrozen(page, 'embed.html, 40 CIDRs + 1,900 stray subnets');
    const text = await problems.textContent();
    assert.match(text, /and 1,800 more problems of the same kind at vpc\.subnets\[\*\]\.cidr$/);
    assert.ok(text.length < 20000, `${text.length} characters`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
