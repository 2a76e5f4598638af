// The sample book docs/book/, built by `cargo xtask book` (mdbook + mdbook-eksplain) into
// target/book/ (EKSPLAIN_BOOK), opened in Chromium: every diagram's <img> loads, the SVG files
// hold what the chapter promises (the ETP chapter's two load balancers and the traced path),
// and each diagram's "Open in eksplain" link carries its scenario to the app beside the book.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openBook, screenshot } from './harness.mjs';

// Each chapter, the number of diagrams it draws and, per diagram, the flow its fence traces.
const CHAPTERS = [
  { page: 'introduction.html', flows: [null] },
  { page: 'prefix-delegation.html', flows: [null] },
  { page: 'custom-networking.html', flows: [null] },
  {
    page: 'external-traffic-policy.html',
    flows: ['internet->service/web-cluster', 'internet->service/web-local'],
  },
];

/** The chapter's diagrams: the <img> mdbook-eksplain wrote, loaded or not, and its SVG text. */
async function diagrams(page) {
  await page.waitForLoadState('load');
  return page.evaluate(async () => {
    const imgs = [...document.querySelectorAll('main img')].filter((i) =>
      /(^|\/)eksplain-[0-9a-f]+\.svg$/.test(new URL(i.src).pathname),
    );
    return Promise.all(
      imgs.map(async (img) => {
        // Settled either way: a broken image fails the naturalWidth check below, not a timeout.
        if (!img.complete) {
          await new Promise((done) => {
            img.addEventListener('load', done, { once: true });
            img.addEventListener('error', done, { once: true });
          });
        }
        const wrapper = img.closest('.eksplain') ?? img.parentElement.parentElement;
        const open = wrapper.querySelector('.eksplain-open a');
        return {
          src: img.src,
          alt: img.alt,
          naturalWidth: img.naturalWidth,
          naturalHeight: img.naturalHeight,
          svg: await (await fetch(img.src)).text(),
          open: open?.href ?? null,
        };
      }),
    );
  });
}

for (const { page: chapter, flows } of CHAPTERS) {
  test(`book: ${chapter} draws ${flows.length} diagram(s) that load`, async () => {
    const { page, errors, url } = await openBook(chapter, { viewport: { width: 1280, height: 1200 } });
    const drawn = await diagrams(page);
    assert.equal(drawn.length, flows.length, `${url}: eksplain diagrams`);
    for (const [i, d] of drawn.entries()) {
      assert.ok(d.naturalWidth > 0 && d.naturalHeight > 0, `${d.src} did not load (${d.naturalWidth}×${d.naturalHeight})`);
      assert.ok(d.alt.length > 0, `${d.src} has no alt text`);
      assert.match(d.svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/, `${d.src} is not an SVG`);
      assert.match(d.svg, /<metadata[\s>]/, `${d.src} carries no scenario`);
      // A flow only in the diagram whose fence traced it.
      const paths = [...d.svg.matchAll(/data-kind="flow-path" data-flow="([^"]*)"/g)].map((m) =>
        m[1].replaceAll('&gt;', '>'),
      );
      assert.deepEqual(paths, flows[i] ? [flows[i]] : [], `${d.src}: traced flows`);
      // "Open in eksplain": the app beside the book, the scenario in the fragment.
      assert.ok(d.open?.startsWith(new URL('../eksplain/#s=1.', url).href), `${d.src}: link ${d.open}`);
    }
    await screenshot(page, `book-${chapter.replace(/\.html$/, '')}`);
    assert.deepEqual(errors, []);
  });
}

test('book: the ETP chapter shows both NLBs and each traced path, and looks right', async () => {
  // Tall enough for the whole chapter: mdBook's sidebar and menu bar are fixed, and a
  // full-page screenshot of a scrolled page would paint them mid-page.
  const { page, errors } = await openBook('external-traffic-policy.html', { viewport: { width: 1280, height: 1900 } });
  const [cluster, local] = await diagrams(page);
  for (const d of [cluster, local]) {
    const lbs = [...d.svg.matchAll(/<g data-kind="lb" data-id="([^"]*)"[^>]*data-lb-kind="nlb"/g)].map((m) => m[1]);
    assert.deepEqual(lbs.sort(), ['lb:default/web-cluster', 'lb:default/web-local'], `${d.src}: load balancers`);
    assert.ok((d.svg.match(/data-kind="flow-stop"/g) ?? []).length >= 3, `${d.src}: stops on the traced path`);
  }
  // Cluster: every web pod gets a share; Local: the node without a web pod gets none.
  assert.equal((cluster.svg.match(/data-kind="no-share"/g) ?? []).length, 0, 'Cluster: no node skipped');
  assert.ok((local.svg.match(/data-kind="no-share"/g) ?? []).length >= 1, 'Local: a node skipped');
  assert.notEqual(cluster.src, local.src, 'two different drawings, two files');
  const file = await screenshot(page, 'book-external-traffic-policy-full');
  assert.ok(file.endsWith('.png'));
  assert.deepEqual(errors, []);
});

test("book: a diagram's Open in eksplain link opens its scenario in the app beside the book", async () => {
  const book = await openBook('external-traffic-policy.html');
  const [cluster] = await diagrams(book.page);
  const link = new URL(cluster.open);
  assert.equal(link.pathname, '/eksplain/');
  // The app (dist/, served at /eksplain/) draws the chapter's scenario: both of its NLBs.
  const app = await openApp(link.hash);
  for (const lb of ['lb:default/web-cluster', 'lb:default/web-local']) {
    await app.page.waitForSelector(`svg [data-kind="lb"][data-id="${lb}"]`);
  }
  assert.deepEqual(book.errors, []);
  assert.deepEqual(app.errors, []);
});
