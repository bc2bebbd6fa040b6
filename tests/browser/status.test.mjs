// The validity status is worked out in the reader's browser from the dates in the page (China
// time), not written in at build time: with the page's clock set to 2028-01-02 a page built in
// 2026 reads "Expired"; with JavaScript off it reads the build date's status and says it is as
// of the build date. Also the 2023 record, the library filter and the point-in-time chooser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const built = () => fs.existsSync(path.join(ROOT, 'en/documents/tzzb-2024-26/index.html'));

let server, browser;
before(async () => {
  if (!built()) return;
  server = await serve(ROOT);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The status cell of the metadata table on `url`, at China time `when` (or JS off). */
async function status(url, { when, js = true } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  if (when) await page.clock.setFixedTime(new Date(when));
  await page.goto(server.url + url, { waitUntil: 'load' });
  if (js) await page.waitForFunction(() => document.querySelector('[data-status][data-key]'));
  const text = (await page.locator('table.meta [data-status]').first().textContent()).trim();
  await context.close();
  return text;
}

test('a page built in 2026 reads "Expired" on 2028-01-02, and the build date\'s status without JavaScript', { skip: !built() && 'no built site' }, async () => {
  for (const url of ['/en/', '/en/documents/tzzb-2024-26/', '/en/plan/']) {
    const fallback = await status(url, { js: false });
    assert.match(fallback, /^In force \(as of the build date, \d+ \w+ 20\d\d; not worked out for your date\)$/, `${url}: ${fallback}`);
    const later = await status(url, { when: '2028-01-02T10:00:00+08:00' });
    assert.equal(later, 'Expired (on your date, 2028-01-02, China time)', url);
  }
  // China time, not the reader's zone: 2027-12-31 23:30 in Beijing is still the last day.
  assert.match(await status('/en/', { when: '2027-12-31T23:30:00+08:00' }), /^In force \(on your date, 2027-12-31/);
  assert.match(await status('/en/', { when: '2027-12-31T16:30:00Z' }), /^Expired \(on your date, 2028-01-01/);
  assert.match(await status('/zh/', { when: '2024-12-01T12:00:00+08:00' }), /^尚未施行/);
});

test('the 2023 record reads as a record, and partly superseded from 2025-01-01', { skip: !built() && 'no built site' }, async () => {
  assert.match(await status('/en/documents/tzzb-2023-32/', { when: '2024-06-01T12:00:00+08:00' }), /^Record only/);
  assert.match(await status('/en/documents/tzzb-2023-32/', { when: '2026-06-01T12:00:00+08:00' }), /^Partly superseded/);
});

test('the point-in-time chooser opens the version in force on a date', { skip: !built() && 'no built site' }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + '/en/documents/tzzb-2024-26/', { waitUntil: 'load' });
  // The timeline marks the version in force on the reader's date, with one status only (the
  // build date's mark is replaced by the reader's).
  assert.equal(await page.locator('.timeline li.in-force-today').count(), 1);
  assert.deepEqual(
    await page.locator('.timeline li.in-force-today strong').allInnerTexts(),
    ['(in force on your date)'],
  );
  await page.fill('#pit-date', '2025-06-01');
  await Promise.all([page.waitForURL(/\/documents\/tzzb-2024-26\/2025-01-01\/plan\/$/), page.click('[data-point-in-time] button')]);
  await page.goto(server.url + '/en/documents/tzzb-2024-26/', { waitUntil: 'load' });
  await page.fill('#pit-date', '2024-06-01');
  await page.click('[data-point-in-time] button');
  assert.match(await page.locator('[data-pit-result]').textContent(), /not yet in force/);
  await context.close();
});
