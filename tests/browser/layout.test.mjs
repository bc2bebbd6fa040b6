// The site as a reader sees it on a phone (390 px) and on paper (A4): the targets chart's words
// are neither cut nor shrunk, no table column wraps one character a line, the header leaves the
// screen to the text, the search page has one search box, and no heading ends a printed page.
// The in-page measurements are first run on planted markup, so each is shown to fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { findPages, langOf } from './lib/site.mjs';
import { expectNone } from './lib/checks.mjs';
import { PHONE, clippedTextIn, headerRows, headerSearchControls, narrowCells, orphanHeadingFailures, phoneFailures, siteAddedFailures, sidewaysOverflow } from './lib/layout.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));

let server, browser, pages;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'index.html'))) {
    throw new Error(`${ROOT}/index.html not found: build the site first (cargo run --release -p generator -- build)`);
  }
  pages = findPages(ROOT).filter((p) => langOf(p.path));
  server = await serve(ROOT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function onPhone(fn) {
  const context = await browser.newContext({ viewport: PHONE });
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

test('the layout checks fail on planted faults: a cut chart label, a one-character column, a tall header', async () => {
  await onPhone(async (page) => {
    await page.setContent(`<!doctype html><html><body>
      <header class="site-header"><a class="brand" href="#">Title</a>
        <form><input type="search" placeholder="search"><button>Search</button></form>
        <p><a href="#">中文</a></p><nav><a href="#">Home</a></nav></header>
      <figure class="targets"><svg viewBox="0 0 600 250" width="100%">
        <text x="-20" y="40" font-size="13">110 (RMB 100 million)</text></svg>
        <p style="width:40px;white-space:nowrap;overflow:hidden">Cross-border e-commerce exports</p></figure>
      <table><tr><td>Cross-border e-commerce exports of the city, a long name that takes the room</td><td>亿元</td></tr></table>
      </body></html>`);
    const chart = await page.evaluate(clippedTextIn, 'figure.targets');
    assert.ok(chart.some((m) => /110 \(RMB 100 million\).*outside the chart/.test(m)), `SVG label past the drawing's edge not reported: ${chart}`);
    assert.ok(chart.some((m) => /110 \(RMB 100 million\).*drawn .* under the body/.test(m)), `shrunken SVG text not reported: ${chart}`);
    assert.ok(chart.some((m) => /Cross-border e-commerce exports.* is cut/.test(m)), `cut HTML text not reported: ${chart}`);
    const cells = await page.evaluate(narrowCells);
    assert.ok(cells.some((m) => m.includes('亿元')), `one-character column not reported: ${cells}`);
    const { rows } = await page.evaluate(headerRows);
    assert.ok(rows.length > 1, `a header of ${JSON.stringify(rows)} counted as one line`);
  });
});

test('the sideways and search-control checks see a scrollbar, a wide page and two ways to search', async () => {
  const shown = await launch({ scrollbars: true });
  try {
    const page = await (await shown.newContext({ viewport: PHONE })).newPage();
    await page.setContent(`<!doctype html><html><body style="margin:0">
      <header class="site-header"><a class="brand" href="#">Title</a>
        <form role="search"><input type="search" style="display:none"><button>Search</button></form>
        <nav><ul style="display:flex;overflow-x:auto;white-space:nowrap;margin:0">
          <li style="flex:none;width:300px">Home</li><li style="flex:none;width:300px"><a href="/en/search/">Search</a></li></ul></nav></header>
      <div style="width:600px">wide</div></body></html>`);
    const sideways = await page.evaluate(sidewaysOverflow);
    assert.ok(sideways.some((m) => m.includes('wider than the window')), `wide page not reported: ${sideways}`);
    assert.ok(sideways.some((m) => m.includes('scrollbar under <ul')), `menu scrollbar not reported: ${sideways}`);
    assert.deepEqual(await page.evaluate(headerSearchControls), ['Search', 'Search']);
  } finally {
    await shown.close();
  }
});

test('on a phone (390 px), scrollbars drawn: no page goes sideways, no scrollbar in the header', async () => {
  const shown = await launch({ scrollbars: true });
  const failures = [];
  try {
    const page = await (await shown.newContext({ viewport: PHONE })).newPage();
    for (const p of pages) {
      await page.goto(server.url + p.path, { waitUntil: 'load' });
      for (const m of await page.evaluate(sidewaysOverflow)) failures.push(`${p.path}: ${m}`);
    }
  } finally {
    await shown.close();
  }
  expectNone(failures, 'sideways at 390 px');
});

test('on a phone (390 px): the chart reads whole, no column narrower than two characters, a one-line header, one search box, one way to search in the header', async () => {
  const failures = await onPhone(async (page) => {
    const out = [];
    for (const p of pages) out.push(...(await phoneFailures(page, server.url, p.path)));
    return out;
  });
  expectNone(failures, 'phone layout');
});

test('the chart reads whole on a wide screen too (1280 px)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const failures = [];
  try {
    for (const p of ['/zh/', '/en/', '/zh/plan/', '/en/plan/']) {
      await page.goto(server.url + p, { waitUntil: 'load' });
      for (const m of await page.evaluate(clippedTextIn, 'figure.targets')) failures.push(`${p}: chart: ${m}`);
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'chart at 1280 px');
});

test('printed, no heading is left alone at the foot of a page', async () => {
  const failures = [];
  for (const p of ['/zh/plan/', '/en/plan/', '/zh/attachment/', '/en/attachment/', '/zh/', '/en/']) {
    failures.push(...(await orphanHeadingFailures(browser, server.url, p)));
  }
  expectNone(failures, 'print');
});

test('printed, the lines the site adds to the issued text are marked as the site\'s', async () => {
  const failures = [];
  for (const p of ['/zh/plan/', '/en/plan/', '/zh/attachment/', '/en/attachment/']) {
    failures.push(...(await siteAddedFailures(browser, server.url, p)));
  }
  expectNone(failures, 'print');
});
