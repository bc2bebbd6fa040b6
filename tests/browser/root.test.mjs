// The root page `/`: it opens the reader's language when the browser says which (navigator
// .languages) or when the reader chose one with the language switch (remembered in
// localStorage), keeps the chooser for `/?choose` and for a browser that names neither language,
// and is the chooser with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));

let server, browser;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'index.html'))) {
    throw new Error(`${ROOT}/index.html not found: build the site first (cargo run --release -p generator -- build)`);
  }
  server = await serve(ROOT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser whose navigator.languages is `languages` (each context has its own storage). */
async function withBrowser(languages, fn, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ locale: languages[0], javaScriptEnabled });
  await context.addInitScript((langs) => {
    Object.defineProperty(Navigator.prototype, 'languages', { get: () => langs, configurable: true });
    Object.defineProperty(Navigator.prototype, 'language', { get: () => langs[0], configurable: true });
  }, languages);
  const page = await context.newPage();
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** Opens `/…` and returns the path the reader ends on once the page has settled. */
async function land(page, urlPath) {
  await page.goto(server.url + urlPath, { waitUntil: 'load' });
  await page.waitForLoadState('load');
  const u = new URL(page.url());
  return u.pathname + u.search + u.hash;
}

const isChooser = async (page) => (await page.locator('#choose-zh').count()) === 1 && (await page.locator('#choose-en').count()) === 1;

test('the browser\'s language opens at once: Chinese, English, or the first of the two it lists', async () => {
  for (const [langs, want] of [
    [['zh-CN', 'zh'], '/zh/'],
    [['zh-TW'], '/zh/'],
    [['en-GB', 'en'], '/en/'],
    [['fr-FR', 'zh-CN', 'en'], '/zh/'],
    [['de', 'en-US', 'zh'], '/en/'],
  ]) {
    await withBrowser(langs, async (page) => {
      assert.equal(await land(page, '/'), want, `navigator.languages ${JSON.stringify(langs)}: / should open ${want}`);
    });
  }
});

test('a browser naming neither language keeps the chooser', async () => {
  await withBrowser(['fr-FR', 'de'], async (page) => {
    assert.equal(await land(page, '/'), '/');
    assert.ok(await isChooser(page), 'the chooser\'s two links are shown');
  });
});

test('a choice made with the language switch is remembered over the browser\'s language', async () => {
  await withBrowser(['zh-CN'], async (page) => {
    assert.equal(await land(page, '/'), '/zh/', 'a Chinese browser first opens /zh/');
    await page.goto(server.url + '/zh/plan/', { waitUntil: 'load' });
    await Promise.all([page.waitForURL('**/en/plan/'), page.locator('[data-lang-switch] a').click()]);
    assert.equal(await land(page, '/'), '/en/', 'after switching to English, / opens /en/');
    await Promise.all([page.waitForURL('**/zh/'), page.locator('[data-lang-switch] a').click()]);
    assert.equal(await land(page, '/'), '/zh/', 'after switching back, / opens /zh/');
  });
});

test('/?choose shows the chooser, and the language chosen on it is remembered', async () => {
  await withBrowser(['zh-CN'], async (page) => {
    assert.equal(await land(page, '/?choose'), '/?choose');
    assert.ok(await isChooser(page), 'the chooser\'s two links are shown');
    assert.ok(await page.locator('#choose-zh.preferred').count(), 'the browser\'s language is shown as the likelier choice');
    await Promise.all([page.waitForURL('**/en/'), page.locator('#choose-en').click()]);
    assert.equal(await land(page, '/'), '/en/', 'the chooser\'s English, taken once, opens next time');
  });
});

test('with JavaScript off, / is the chooser whatever the browser\'s language', async () => {
  await withBrowser(['zh-CN'], async (page) => {
    assert.equal(await land(page, '/'), '/');
    assert.ok(await isChooser(page), 'the chooser\'s two links are shown');
    await page.locator('#choose-en').click();
    await page.waitForURL('**/en/');
  }, { javaScriptEnabled: false });
});
