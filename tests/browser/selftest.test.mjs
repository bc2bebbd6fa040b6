// Self-test of the checker: a tiny fake site with one planted fault per page. Each check must
// report the faulty page by its URL path, and must stay silent on the clean pages; this proves
// that the checks run by site.test.mjs can fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { findPages } from './lib/site.mjs';
import { buildFakeSite, CLEAN_PAGES } from './lib/fakesite.mjs';
import {
  axeFailures,
  consoleFailures,
  crawlWithJs,
  cspFailures,
  crawlWithoutJs,
  htmlFailures,
  languageClickFailures,
  languageFailures,
  linkFailures,
  loadHtmlValidateConfig,
  noJsTextFailures,
  printFailures,
} from './lib/checks.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let root, server, browser, pages;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-site-'));
  buildFakeSite(root);
  pages = findPages(root);
  server = await serve(root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const once = (fn) => {
  let p;
  return () => (p ??= fn());
};
// The JS pass (the slow one, with axe) only over the pages it is about, to keep this fast.
const JS_PAGES = [...CLEAN_PAGES, '/zh/console/', '/zh/no-alt/', '/zh/inline-code/', '/en/inline-code/'];
const withJs = once(() => crawlWithJs(browser, server.url, pages.filter((p) => JS_PAGES.includes(p.path))));
const withoutJs = once(() => crawlWithoutJs(browser, server.url, pages));

/** Some failure is about `page` (starts with it) and mentions every one of `words`. */
function reports(failures, page, ...words) {
  const hit = failures.some((f) => f.startsWith(page + ':') && words.every((w) => f.includes(w)));
  assert.ok(hit, `expected a failure naming ${page} with ${JSON.stringify(words)}; got:\n${failures.join('\n')}`);
}
/** No failure is about a clean page. */
function cleanPagesPass(failures) {
  const bad = failures.filter((f) => CLEAN_PAGES.some((p) => f.startsWith(p + ':') || f.startsWith(p + '#')));
  assert.deepEqual(bad, [], 'the clean pages of the fake site must pass');
}

test('self-test: the static server serves pages, folders and content types', async () => {
  const get = (p) => fetch(server.url + p, { redirect: 'manual' });
  assert.equal((await get('/zh/plan/')).headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal((await get('/assets/pic.svg')).headers.get('content-type'), 'image/svg+xml');
  const r = await get('/zh/plan');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/zh/plan/');
  assert.equal((await get('/zh/nowhere/')).status, 404);
  assert.equal((await get('/%2e%2e/%2e%2e/etc/passwd')).status, 404);
  assert.ok(pages.some((p) => p.path === '/') && pages.some((p) => p.path === '/en/plan/'));
});

test('self-test: a console.error and a failed request are reported with the page', async () => {
  const f = consoleFailures(await withJs());
  reports(f, '/zh/console/', 'console error', 'planted console error');
  reports(f, '/zh/console/', 'HTTP 404', '/assets/missing.png');
  cleanPagesPass(f);
});

test('self-test: an inline script and an inline style refused by the page\'s CSP are reported with the page', async () => {
  const f = cspFailures(await withJs());
  reports(f, '/zh/inline-code/', 'CSP violation', 'script-src', 'inline');
  reports(f, '/zh/inline-code/', 'CSP violation', 'style-src');
  reports(f, '/zh/inline-code/', 'CSP console');
  assert.deepEqual(f.filter((x) => x.startsWith('/en/inline-code/:')), [], 'the twin without inline code passes');
  cleanPagesPass(f);
  // The refusals are reported once, as CSP failures, not again as console errors.
  assert.deepEqual(consoleFailures(await withJs()).filter((x) => /Content Security Policy/i.test(x)), []);
});

test('self-test: axe reports an image without alt text with the page, rule and target', async () => {
  const f = axeFailures(await withJs());
  reports(f, '/zh/no-alt/', 'image-alt', 'img');
  cleanPagesPass(f);
});

test('self-test: html-validate reports invalid markup with the page', async () => {
  const f = await htmlFailures(pages, loadHtmlValidateConfig(REPO));
  reports(f, '/zh/invalid/', 'element-permitted-content');
  reports(f, '/zh/no-alt/', 'wcag/h37');
  cleanPagesPass(f);
});

test('self-test: a broken link and a broken #anchor are reported with the page and href', async () => {
  const f = linkFailures(root, server.url, await withoutJs(), pages);
  reports(f, '/zh/broken-link/', 'broken link', 'href="/zh/nowhere/"');
  reports(f, '/zh/broken-link/', 'broken anchor', 'href="/zh/plan/#task-99"', 'task-99');
  cleanPagesPass(f);
});

test('self-test: a page without its main text when JavaScript is off is reported', async () => {
  const f = noJsTextFailures(await withoutJs());
  reports(f, '/zh/js-only/', 'JavaScript disabled');
  cleanPagesPass(f);
});

test('self-test: a missing translation and a wrong language switch are reported', async () => {
  const f = languageFailures(await withoutJs());
  reports(f, '/zh/only-zh/', 'missing translation', '/en/only-zh/');
  reports(f, '/zh/wrong-switch/', 'language switch', '/en/plan/', 'expected /en/wrong-switch/');
  cleanPagesPass(f);
});

test('self-test: the language switch click keeps the #fragment, and losing it is reported', async () => {
  assert.deepEqual(await languageClickFailures(browser, server.url, '/zh/plan/', '#task-2'), []);
  assert.deepEqual(await languageClickFailures(browser, server.url, '/en/plan/', '#task-3'), []);
  const f = await languageClickFailures(browser, server.url, '/zh/no-hash/', '#task-1');
  reports(f, '/zh/no-hash/#task-1', 'not carried over');
});

test('self-test: print to PDF keeps every task title and drops the navigation', async () => {
  for (const p of ['/zh/plan/', '/en/plan/']) {
    const { failures, tasks } = await printFailures(browser, server.url, p);
    assert.deepEqual(failures, [], `${p} prints cleanly`);
    assert.deepEqual(tasks, ['task-1', 'task-2', 'task-3']);
  }
  const { failures } = await printFailures(browser, server.url, '/zh/print-bad/');
  reports(failures, '/zh/print-bad/', 'contains the navigation', '行动方案');
  reports(failures, '/zh/print-bad/', 'lacks the task title', '#task-2');
});
