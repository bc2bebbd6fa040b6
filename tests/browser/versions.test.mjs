// The calculator across the policy's versions, in Debian's headless Chromium, on a site built
// once from the fixture library (generator/tests/fixtures/library/ laid over content/: the
// trademark cap raised from 10万 to 20万 from 2026-01-01, a consolidation from 2026-07-01), dated
// 2026-03-01 so that the page embeds the 2026-01-01 version and fetches the others:
//
//   - with the reader's clock on 2025-06-01 (China time) a 300,000 yuan trademark fee estimates
//     100,000 (the 2025 version, fetched), on 2026-06-01 150,000; both as `generator estimate
//     --date` says;
//   - "Compare with the previous version" shows the line 100,000 → 150,000, +50,000;
//   - an old link (v=2025-01-01) shows its own estimate and offers the current one;
//   - on 2028-01-02 the estimate still works and says the policy has expired;
//   - a version's rules are fetched under their content-hashed name, found through the rules
//     folder's hashed manifest that the page names: never a fixed name, never `rules.json`.
//
// The fixture site is built with `generator build` (lib/generator.mjs: GENERATOR, else the
// executable of `cargo build --release -p generator`); the WASM comes from the build cache of
// the main site's build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { generator } from './lib/generator.mjs';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP_TIMEOUT = 30_000;
const READY = '#calculator-app .calc[data-app="ready"]';
const SCENARIO = 'a=enterprise&p=jiaojiang&d=0&c=trademark:fee=300000';
// 2026-03-01 00:00 UTC: the build date.
const BUILD_EPOCH = '1772323200';

let tmp, project, server, browser;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'versions-site-'));
  project = path.join(tmp, 'project');
  fs.cpSync(path.join(REPO, 'content'), path.join(project, 'content'), { recursive: true });
  fs.cpSync(
    path.join(REPO, 'generator/tests/fixtures/library/documents'),
    path.join(project, 'content/documents'),
    { recursive: true },
  );
  fs.cpSync(path.join(REPO, 'themes'), path.join(project, 'themes'), { recursive: true });
  fs.writeFileSync(
    path.join(tmp, 'trademark.yaml'),
    'applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n  - subsidy: trademark\n    instances: [{fee: "300000"}]\n',
  );
  const [cmd, args] = await generator(['build']);
  await run(cmd, args, {
    cwd: REPO,
    env: { ...process.env, GENERATOR_ROOT: project, SOURCE_DATE_EPOCH: BUILD_EPOCH },
    maxBuffer: 16 << 20,
    timeout: 20 * 60_000,
  });
  server = await serve(path.join(project, 'dist'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** `generator estimate` of the trademark scenario on the fixture library, as JSON. */
async function cli(extra) {
  const [cmd, args] = await generator(['estimate', path.join(tmp, 'trademark.yaml'), '--format', 'json', ...extra]);
  const { stdout } = await run(cmd, args, {
    cwd: REPO,
    env: { ...process.env, GENERATOR_ROOT: project, SOURCE_DATE_EPOCH: BUILD_EPOCH },
    maxBuffer: 16 << 20,
    timeout: 15 * 60_000,
  });
  return JSON.parse(stdout);
}

/** A page whose clock reads `iso` (UTC), opened on the calculator with `fragment`. */
async function openOn(iso, fragment, lang = 'en') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.clock.setFixedTime(new Date(iso));
  await page.goto(`${server.url}/${lang}/calculator/#${fragment}`, { waitUntil: 'load' });
  await page.locator(READY).waitFor({ timeout: APP_TIMEOUT });
  return { page, context, errors, requests };
}

/** Whether a file name carries a content hash (`2025-01-01.3f9a0c12de.json`), as the build names it. */
const HASHED = /\.[0-9a-f]{10}\.json$/;

/** The city total the app shows, as a plain decimal, once it is `want` (fetching may lag). */
async function cityTotal(page, want) {
  const city = page.locator('#calculator-app [data-total="city"]');
  await city.waitFor({ timeout: APP_TIMEOUT });
  if (want !== undefined) {
    await page
      .waitForFunction(
        (w) => document.querySelector('#calculator-app [data-total="city"]')?.getAttribute('data-value') === w,
        want,
        { timeout: APP_TIMEOUT },
      )
      .catch(() => {});
  }
  return city.getAttribute('data-value');
}

test('versions: the estimate follows the reader\'s date and agrees with `generator estimate --date`', async () => {
  for (const [day, iso, amount] of [
    ['2025-06-01', '2025-06-01T04:00:00Z', '100000'],
    ['2026-06-01', '2026-06-01T04:00:00Z', '150000'],
  ]) {
    const want = await cli(['--date', day]);
    assert.equal(want.city_total, amount, `generator estimate --date ${day}`);
    const { page, context, errors, requests } = await openOn(iso, SCENARIO);
    const got = await cityTotal(page, want.city_total);
    // The rules are the page's own (embedded) or fetched by hashed name through the manifest.
    const rules = requests.filter((p) => p.includes('rules'));
    for (const p of rules) {
      assert.match(p, /^\/rules\//, `the calculator fetched ${p}`);
      assert.match(p, HASHED, `the calculator fetched ${p}, a name without its content hash`);
    }
    if (day === '2025-06-01') {
      // Not the embedded version: the manifest, then that version's file.
      assert.deepEqual(
        rules.map((p) => p.replace(HASHED, '.json')),
        ['/rules/manifest.json', '/rules/tzzb-2024-26/2025-01-01.json'],
      );
    } else {
      assert.deepEqual(rules, [], 'the embedded version needs no request');
    }
    assert.equal(got, want.city_total, `the browser on ${day} shows ${got}, the command line ${want.city_total}`);
    // The link now records the version it is read under.
    assert.match(new URL(page.url()).hash, new RegExp(`^#v=${want.policy_version.version}&a=enterprise`));
    assert.match(await page.locator('.calc-versions').innerText(), /it is in force on/);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('versions: "compare with the previous version" shows the line old → new and +50,000', async () => {
  const want = await cli(['--date', '2026-06-01', '--compare']);
  const { page, context } = await openOn('2026-06-01T04:00:00Z', SCENARIO);
  await cityTotal(page, '150000');
  await page.getByRole('button', { name: /Compare with the previous version/ }).click();
  const row = page.locator('.calc-compare li[data-subsidy="trademark"]');
  await row.waitFor({ timeout: APP_TIMEOUT });
  const line = (await row.innerText()).trim();
  assert.match(line, /: RMB 100,000 → RMB 150,000 \(\+RMB 50,000\)$/);
  // The command line prints the same line.
  const [cmd, args] = await generator(['estimate', path.join(tmp, 'trademark.yaml'), '--date', '2026-06-01', '--compare']);
  const { stdout } = await run(cmd, args, { cwd: REPO, env: { ...process.env, GENERATOR_ROOT: project } });
  assert.ok(stdout.includes(line), `the command line lacks "${line}":\n${stdout}`);
  assert.equal(want.comparison.lines[0].old, '100000');
  assert.equal(want.comparison.lines[0].new, '150000');
  await context.close();
});

test('versions: an old link shows its own estimate and offers the current one', async () => {
  const { page, context } = await openOn('2026-06-01T04:00:00Z', `v=2025-01-01&${SCENARIO}`);
  assert.equal(await cityTotal(page, '100000'), '100000');
  const bar = await page.locator('.calc-versions').innerText();
  assert.match(bar, /on 2026-06-01 it no longer applies/);
  await page.getByRole('button', { name: /Compare with the current version/ }).click();
  const total = page.locator('.calc-compare .calc-compare-total');
  await total.waitFor({ timeout: APP_TIMEOUT });
  assert.match((await total.innerText()).trim(), /\(\+RMB 50,000\)$/);
  await context.close();
});

test('versions: the timeline gives each version one status, on the reader\'s date or, without JavaScript, the build date\'s', async () => {
  const marks = async (when, js = true, lang = 'en') => {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    if (when) await page.clock.setFixedTime(new Date(when));
    await page.goto(`${server.url}/${lang}/documents/tzzb-2024-26/`, { waitUntil: 'load' });
    const out = [];
    for (const li of await page.locator('.timeline > li').all()) {
      // Every visible status word of the version's line (the links' own words aside).
      out.push([await li.getAttribute('data-version'), await li.locator(':scope > strong:visible').allInnerTexts()]);
    }
    await context.close();
    return out;
  };
  assert.deepEqual(await marks('2026-06-01T04:00:00Z'), [
    ['2025-01-01', ['(replaced by a later version on your date)']],
    ['2026-01-01', ['(in force on your date)']],
    ['2026-07-01', ['(not yet in force on your date)']],
  ]);
  assert.deepEqual((await marks('2028-01-02T04:00:00Z', true, 'zh')).map(([, m]) => m), [
    ['（按您的日期已被新版本取代）'],
    ['（按您的日期已被新版本取代）'],
    ['（按您的日期已失效）'],
  ]);
  // Without JavaScript: the build date's version (2026-03-01: 2026-01-01) alone, and says so.
  assert.deepEqual(await marks(null, false), [
    ['2025-01-01', []],
    ['2026-01-01', ['(in force on the build date)']],
    ['2026-07-01', []],
  ]);
});

test('versions: after the last version expires the estimate still works and says so', async () => {
  const { page, context } = await openOn('2028-01-02T04:00:00Z', SCENARIO, 'zh');
  assert.equal(await cityTotal(page, '150000'), '150000');
  assert.match(await page.locator('.calc-versions').innerText(), /本政策已于2027-12-31到期失效/);
  await context.close();
});
