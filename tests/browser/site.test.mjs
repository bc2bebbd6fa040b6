// The quality gate over the built site (dist/, or SITE_DIR): every page, both languages, in
// Debian's headless Chromium. Each test lists every problem it finds, each naming its page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { findPages } from './lib/site.mjs';
import {
  axeFailures,
  consoleFailures,
  crawlWithJs,
  crawlWithoutJs,
  cspFailures,
  expectNone,
  htmlFailures,
  languageClickFailures,
  languageFailures,
  linkFailures,
  loadHtmlValidateConfig,
  noJsTextFailures,
  printFailures,
} from './lib/checks.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const TASKS = 22; // the action plan's tasks: #task-1 … #task-22 on /zh/plan/ and /en/plan/

let server, browser, pages;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'index.html'))) {
    throw new Error(`${ROOT}/index.html not found: build the site first (cargo run --release -p generator -- build)`);
  }
  pages = findPages(ROOT);
  server = await serve(ROOT);
  browser = await launch();
  console.log(`# site ${ROOT}: ${pages.length} pages, served at ${server.url}`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const once = (fn) => {
  let p;
  return () => (p ??= fn());
};
// With JavaScript the root page sends the reader on to a language (root.test.mjs); `/?choose`
// keeps the chooser, so that it too is checked with its script running.
const withJs = once(() => crawlWithJs(browser, server.url, [...pages, { path: '/?choose' }]));
const withoutJs = once(() => crawlWithoutJs(browser, server.url, pages));
const exists = (urlPath) => fs.existsSync(path.join(ROOT, urlPath, 'index.html'));

test('the site has both language trees and the root page', () => {
  const missing = ['/', '/zh/', '/en/', '/zh/plan/', '/en/plan/'].filter((p) => !pages.some((x) => x.path === p));
  expectNone(missing.map((p) => `${p}: page missing from ${ROOT}`), 'required pages');
});

test('no console error or warning, no failed request, no request to another host', async () => {
  expectNone(consoleFailures(await withJs()), 'console and network');
});

test('no Content-Security-Policy violation on any page (securitypolicyviolation, CSP console messages)', async () => {
  expectNone(cspFailures(await withJs()), 'Content-Security-Policy');
});

test('axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) reports no violation', async () => {
  expectNone(axeFailures(await withJs()), 'accessibility');
});

test('html-validate reports no error', async () => {
  expectNone(await htmlFailures(pages, loadHtmlValidateConfig(REPO)), 'markup');
});

test('no broken internal link or #anchor', async () => {
  expectNone(linkFailures(ROOT, server.url, await withoutJs(), pages), 'links');
});

test('reading pages show their main text with JavaScript disabled', async () => {
  expectNone(noJsTextFailures(await withoutJs()), 'JavaScript off');
});

test('every page has its translation, and the language switch points to it', async () => {
  expectNone(languageFailures(await withoutJs()), 'languages');
});

test('the language switch keeps the reader\'s place: /zh/plan/#task-3 <-> /en/plan/#task-3', async () => {
  const failures = [
    ...(await languageClickFailures(browser, server.url, '/zh/plan/', '#task-3')),
    ...(await languageClickFailures(browser, server.url, '/en/plan/', '#task-3')),
  ];
  expectNone(failures, 'language switch');
});

test('the plan prints with every task and without navigation, in both languages', async () => {
  const failures = [];
  for (const p of ['/zh/plan/', '/en/plan/']) {
    const { failures: f, tasks } = await printFailures(browser, server.url, p);
    failures.push(...f);
    const numbered = new Set(tasks.filter((id) => /^task-\d+$/.test(id)));
    for (let i = 1; i <= TASKS; i++) {
      if (!numbered.has(`task-${i}`)) failures.push(`${p}: no element with id "task-${i}" (the plan has ${TASKS} tasks)`);
    }
  }
  expectNone(failures, 'print');
});

// --- Placeholders: these run by themselves once the calculator and the search land in dist/. ---

test('calculator: a known scenario gives the known amount', async (t) => {
  if (!exists('/zh/calculator/')) return t.skip('no /zh/calculator/ in dist/ yet (issue 3)');
  // 附件 一（三）: 商标国际注册费用 50%, at most 10万元. A fee of 120,000 yuan gives 60,000 yuan
  // (50% × 12万元 = 6万元，未超过上限10万元). The controls are found by their accessible names,
  // which the calculator must give them anyway.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/zh/calculator/`, { waitUntil: 'load' });
    const pick = page.getByLabel(/商标国际注册/).first();
    await pick.waitFor({ timeout: 15_000 });
    if ((await pick.getAttribute('type')) === 'checkbox') await pick.check();
    await page.getByRole('spinbutton', { name: /商标国际注册费用/ }).or(page.getByRole('textbox', { name: /商标国际注册费用/ })).first().fill('120000');
    const main = page.locator('main');
    await assert.doesNotReject(
      main.filter({ hasText: /6万元|60,000|60000/ }).waitFor({ timeout: 10_000 }),
      '/zh/calculator/: entering a 120000 trademark fee does not show 6万元 (60,000)',
    );
  } finally {
    await context.close();
  }
});

test('search: /zh/search/?q=集货仓 and /en/search/?q=consolidation warehouse find the clause', async (t) => {
  if (!exists('/zh/search/')) return t.skip('no /zh/search/ in dist/ yet (issue 4)');
  // 附件 三（二）: 对正常运营的集货仓… (permalink #att-3-2-a, item #att-3-2), which serves task 11.
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    for (const q of ['/zh/search/?q=集货仓', '/en/search/?q=consolidation%20warehouse']) {
      await page.goto(server.url + q, { waitUntil: 'load' });
      const hit = page.locator('main a[href*="#att-3-2"]').first();
      try {
        await hit.waitFor({ timeout: 10_000 });
      } catch {
        failures.push(`${q}: no result links to the consolidation-warehouse clause (#att-3-2-a)`);
      }
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'search');
});
