// The search page in the browser (dist/, or SITE_DIR), in Debian's headless Chromium: a handful
// of shareable ?q= URLs run on load and their results are read (permalinks, highlights, the
// announced count); typing keeps the query in the URL and Back returns to the query before;
// traditional characters and English typos find the text; an item and its own clause are one
// result; filters, the header box, the keyboard, JavaScript off and a 390 px phone. The query
// fixture itself runs in `cargo test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { expectNone, watchCsp } from './lib/checks.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const TIMEOUT = 10_000;

let server, browser;
const built = () => fs.existsSync(path.join(ROOT, 'zh/search/index.html'));

before(async () => {
  if (!built()) return;
  server = await serve(ROOT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `url` in a fresh page and waits for the results; returns {page, context, foreign, csp, results}. */
async function open(url, opts = {}) {
  const context = await browser.newContext(opts);
  const csp = await watchCsp(context); // the results render under the site's policy
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) foreign.push(r.url());
  });
  await page.goto(server.url + url, { waitUntil: 'load' });
  await page.locator('#search-results li').first().waitFor({ timeout: TIMEOUT });
  return { page, context, foreign, csp, results: await read(page) };
}

/** The results on screen: [{href, marks: [...], partial}] and the announced status. */
async function read(page) {
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    items: Array.from(document.querySelectorAll('#search-results li')).map((li) => ({
      href: li.querySelector('h2 a').getAttribute('href'),
      marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
      partial: !!li.querySelector('.partial'),
    })),
  }));
}

const hrefs = (r) => r.items.map((i) => i.href);
const rankOf = (r, anchor) => r.items.findIndex((i) => i.href.endsWith(anchor)) + 1;

test('search: ?q= links run on load and land on the permalinks, matches highlighted', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const cases = [
    // [URL, permalink that must be among the first five, text that must be highlighted]
    ['/zh/search/?q=集货仓', 'attachment/#att-3-2-a', '集货仓'],
    ['/zh/search/?q=信保', 'attachment/#att-4-3-b', '信保'],
    ['/zh/search/?q=物流补贴', 'attachment/#att-3-3-a', '物流费用'],
    ['/zh/search/?q=专利能补多少', 'attachment/#att-1-3-b', '专利'],
    ['/zh/search/?q=台州海关', 'units/customs/', null],
    ['/en/search/?q=warehouses', 'attachment/#att-3-2-a', 'warehouses'],
    ['/en/search/?q=RCEP', 'plan/#task-5', 'RCEP'],
    // Traditional characters find the simplified text, marked as it is written there.
    ['/zh/search/?q=跨境電商培訓', 'attachment/#att-4-2-b', '培训'],
    // One typo forgiven; the word the text has is marked.
    ['/en/search/?q=tradmark', 'attachment/#att-1-3-a', 'trademark'],
    // A reader's word for what the text says: "cap" finds "shall not exceed".
    ['/en/search/?q=cap', 'attachment/#att-3-3-a', 'exceed'],
  ];
  const failures = [];
  for (const [url, anchor, mark] of cases) {
    const { context, foreign, csp, results } = await open(encodeURI(url));
    try {
      const rank = rankOf(results, anchor);
      if (rank < 1 || rank > 5) failures.push(`${url}: ${anchor} not in the first five: ${hrefs(results).slice(0, 5).join(' ')}`);
      const item = results.items[rank - 1];
      if (mark && item && !item.marks.some((m) => m.includes(mark))) {
        failures.push(`${url}: "${mark}" not highlighted in the ${anchor} result (marks: ${item.marks.join(', ')})`);
      }
      if (!/\d/.test(results.status)) failures.push(`${url}: the status announces no count: "${results.status}"`);
      if (foreign.length) failures.push(`${url}: requests to another host: ${foreign.join(' ')}`);
      failures.push(...csp);
    } finally {
      await context.close();
    }
  }
  expectNone(failures, 'search ?q= links');
});

test('search: an item and its own clause are one result', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const failures = [];
  for (const url of ['/en/search/?q=logistics', '/zh/search/?q=' + encodeURIComponent('椒江'), '/zh/search/?q=' + encodeURIComponent('物流 补贴')]) {
    const { context, results } = await open(url);
    try {
      // att-3-3-a is a clause of att-3-3: both on screen would be the same text twice.
      const anchors = hrefs(results).map((h) => h.split('#')[1]).filter(Boolean);
      for (const a of anchors) {
        const item = /^(att-\d+-\d+)-[a-z]$/.exec(a);
        if (item && anchors.includes(item[1])) failures.push(`${url}: ${item[1]} and its clause ${a} are two results: ${anchors.join(' ')}`);
      }
    } finally {
      await context.close();
    }
  }
  expectNone(failures, 'item and clause twice');
});

test('search: Back returns to the previous query, Forward to the next', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const { page, context } = await open('/en/search/?q=logistics');
  try {
    await page.locator('#search-q').fill('trademark');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=trademark$/, { timeout: TIMEOUT });
    await page.locator('#search-results a[href$="#att-1-3-a"]').first().waitFor({ timeout: TIMEOUT });
    await page.goBack();
    await page.waitForURL(/\?q=logistics$/, { timeout: TIMEOUT });
    assert.equal(await page.locator('#search-q').inputValue(), 'logistics', 'the box holds the previous query');
    await page.locator('#search-results a[href$="#task-10"]').first().waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator('#search-results a[href$="#att-1-3-a"]').count(), 0, 'the results are the previous query\'s');
    await page.goForward();
    await page.waitForURL(/\?q=trademark$/, { timeout: TIMEOUT });
    assert.equal(await page.locator('#search-q').inputValue(), 'trademark');
    await page.locator('#search-results a[href$="#att-1-3-a"]').first().waitFor({ timeout: TIMEOUT });
    // Typing on in one query replaces its entry: Back skips the letters typed on the way.
    await page.locator('#search-q').fill('');
    await page.locator('#search-q').pressSequentially('patent', { delay: 400 });
    await page.waitForURL(/\?q=patent$/, { timeout: TIMEOUT });
    await page.goBack();
    await page.waitForURL(/\?q=trademark$/, { timeout: TIMEOUT });
  } finally {
    await context.close();
  }
});

test('search: a result link opens the clause it names', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const { page, context } = await open('/zh/search/?q=' + encodeURIComponent('集货仓'));
  try {
    await page.locator('#search-results a[href$="#att-3-2-a"]').first().click();
    await page.waitForURL(/\/zh\/attachment\/#att-3-2-a$/, { timeout: TIMEOUT });
    assert.equal(await page.locator('#att-3-2-a').count(), 1, 'the clause #att-3-2-a exists on the page');
  } finally {
    await context.close();
  }
});

test('search: a query none of whose clauses holds every word finds the clauses matching part of it', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const { context, results } = await open('/zh/search/?q=' + encodeURIComponent('集货仓 出口信保'));
  try {
    for (const a of ['#att-3-2-a', '#att-4-3-b']) {
      assert.ok(rankOf(results, a) >= 1 && rankOf(results, a) <= 5, `${a} in the first five: ${hrefs(results).join(' ')}`);
    }
    assert.ok(results.items.some((i) => i.partial), 'results matching part of the query are marked as such');
  } finally {
    await context.close();
  }
});

test('search: typing keeps the query in the URL, the keyboard alone searches, filters narrow', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/en/search/', { waitUntil: 'load' });
    await page.keyboard.press('Tab'); // skip link
    await page.locator('#search-q').focus();
    await page.keyboard.type('9710');
    await page.keyboard.press('Enter');
    await page.locator('#search-results a[href$="#task-20"]').first().waitFor({ timeout: TIMEOUT });
    assert.match(page.url(), /\?q=9710$/, 'the query is kept in the URL');
    assert.equal(await page.locator('#search-status').getAttribute('role'), 'status');
    // The action filter: only action 3 (tasks 10–12 and the clauses serving them).
    await page.goto(server.url + '/zh/search/?q=' + encodeURIComponent('物流') + '&action=action-3', { waitUntil: 'load' });
    await page.locator('#search-results li').first().waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator('select[name=action]').inputValue(), 'action-3');
    const r = await read(page);
    const outside = hrefs(r).filter((h) => /#task-/.test(h) && !/#task-1[012]$/.test(h));
    assert.deepEqual(outside, [], 'no task outside action 3');
    await page.selectOption('select[name=action]', '');
    await page.waitForFunction(() => !location.search.includes('action='), null, { timeout: TIMEOUT });
  } finally {
    await context.close();
  }
});

test('search: the box in every page header leads to the search page with the query', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/en/plan/', { waitUntil: 'load' });
    await page.getByRole('search', { name: 'Search this site' }).getByRole('searchbox').fill('logistics');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/en\/search\/\?q=logistics$/, { timeout: TIMEOUT });
    await page.locator('#search-results li').first().waitFor({ timeout: TIMEOUT });
  } finally {
    await context.close();
  }
});

test('search: without JavaScript the page says so and links to the full text', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(server.url + '/zh/search/?q=' + encodeURIComponent('集货仓'), { waitUntil: 'load' });
    const note = page.locator('.search-nojs');
    assert.ok(await note.isVisible(), 'the no-JavaScript note is shown');
    assert.match(await note.textContent(), /JavaScript/);
    assert.ok((await note.locator('a[href="../plan/"]').count()) === 1, 'it links to the full text');
  } finally {
    await context.close();
  }
});

test('search: at 390 px nothing overflows sideways', async (t) => {
  if (!built()) return t.skip('no /zh/search/ in dist/');
  for (const url of ['/zh/search/?q=' + encodeURIComponent('集货仓'), '/en/search/?q=warehouse']) {
    const { page, context } = await open(url, { viewport: { width: 390, height: 844 } });
    try {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${url}: the page is ${width} px wide at a 390 px viewport`);
    } finally {
      await context.close();
    }
  }
});
