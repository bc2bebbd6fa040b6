// The calculator in the browser (dist/, or SITE_DIR), in Debian's headless Chromium: the WASM app
// against the command line, the URL fragment, input errors, and what the page sends.
//
//   - every worked example on /zh/calculator/ and /en/calculator/: its "open" link (#fragment)
//     loaded into the app shows the totals that `generator estimate examples/scenarios/<id>.yaml
//     --format json` prints, and the totals the page states statically;
//   - entering a scenario by hand writes it into the fragment, and reopening that URL gives the
//     same estimate; no request leaves for anything but the site's own files;
//   - a bad amount shows its message beside the field, in the page's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { generator } from './lib/generator.mjs';
import { createRequire } from 'node:module';
import { AXE_TAGS, expectNone } from './lib/checks.mjs';

const run = promisify(execFile);
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const SCENARIOS = path.join(REPO, 'examples/scenarios');
const LANGS = ['zh', 'en'];
const APP_TIMEOUT = 20_000; // WASM download, compile and the app's takeover
// The page carries the form rendered at build time; the app marks it once it has taken it over
// (rendered in its place, the fragment read). A click or a keystroke before that reaches no app.
const READY = '#calculator-app .calc[data-app="ready"]';

/** Waits until the app runs the form. */
async function ready(page) {
  await page.locator(READY).waitFor({ timeout: APP_TIMEOUT });
}

let server, browser;
const built = () =>
  fs.existsSync(path.join(ROOT, 'zh/calculator/index.html')) &&
  // The module is named by its content hash (calculator_bg.<hash>.wasm).
  fs.existsSync(path.join(ROOT, 'static/calculator')) &&
  fs.readdirSync(path.join(ROOT, 'static/calculator')).some((f) => /^calculator_bg\b.*\.wasm$/.test(f));

before(async () => {
  if (!built()) return;
  server = await serve(ROOT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The command line's estimate of a scenario file, as JSON. */
async function cli(file) {
  const [cmd, args] = await generator(['estimate', file, '--format', 'json']);
  const { stdout } = await run(cmd, args, { cwd: REPO, maxBuffer: 16 << 20, timeout: 15 * 60_000 });
  return JSON.parse(stdout);
}

/** The totals the app shows: {city, reference} as plain decimals (reference null when not shown). */
async function appTotals(page) {
  const city = page.locator('#calculator-app [data-total="city"]');
  await city.waitFor({ timeout: APP_TIMEOUT });
  const reference = page.locator('#calculator-app [data-total="reference"]');
  return {
    city: await city.getAttribute('data-value'),
    reference: (await reference.count()) ? await reference.getAttribute('data-value') : null,
    cityText: (await city.innerText()).trim(),
  };
}

/** The worked examples as the page lists them statically: id, fragment, stated totals. */
async function examplesOn(page) {
  return page.$$eval('.calc-example', (els) =>
    els.map((el) => ({
      id: el.id,
      href: el.querySelector('.calc-example-open a')?.getAttribute('href') ?? '',
      totals: [...el.querySelectorAll('.calc-example-total strong')].map((s) => s.textContent.trim()),
    })),
  );
}

test('calculator: each worked example link shows the command line\'s totals, in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/ (cargo run --release -p generator -- build)');
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    let checked = 0;
    for (const lang of LANGS) {
      const url = `${server.url}/${lang}/calculator/`;
      await page.goto(url, { waitUntil: 'load' });
      await ready(page);
      const examples = await examplesOn(page);
      if (examples.length === 0) failures.push(`/${lang}/calculator/: no worked examples listed`);
      for (const ex of examples) {
        const where = `/${lang}/calculator/${ex.href}`;
        if (!/^#v=\d{4}-\d{2}-\d{2}&a=/.test(ex.href)) {
          failures.push(`/${lang}/calculator/#${ex.id}: the "open" link is not a scenario fragment: ${ex.href}`);
          continue;
        }
        const file = path.join(SCENARIOS, `${ex.id}.yaml`);
        if (!fs.existsSync(file)) {
          failures.push(`/${lang}/calculator/#${ex.id}: no ${path.relative(REPO, file)} to compare with the command line`);
          continue;
        }
        const want = await cli(file);
        // A fresh load of the link, as a reader pasting it would do.
        await page.goto('about:blank');
        await page.goto(url + ex.href, { waitUntil: 'load' });
        await ready(page);
        const got = await appTotals(page);
        if (got.city !== want.city_total) {
          failures.push(`${where}: the app's city total is ${got.city} (${got.cityText}), the command line says ${want.city_total}`);
        }
        const wantRef = want.reference_only || want.reference_total !== '0' ? want.reference_total : null;
        if (got.reference !== wantRef) {
          failures.push(`${where}: the app's reference total is ${got.reference}, the command line says ${wantRef}`);
        }
        if (!ex.totals.includes(got.cityText)) {
          failures.push(`${where}: the app shows ${got.cityText}, the example states ${ex.totals.join(' / ')}`);
        }
        // The app and the page list the same lines.
        const lines = await page.locator('#calculator-app .calc-line').count();
        if (lines !== want.lines.length) failures.push(`${where}: ${lines} lines in the app, ${want.lines.length} from the command line`);
        checked++;
      }
      // Clicking an example on the page (a hashchange, no reload) loads it too.
      const last = examples.at(-1);
      if (last) {
        await page.goto(url, { waitUntil: 'load' });
        await ready(page);
        await page.locator('#calculator-app [data-total="city"]').waitFor({ timeout: APP_TIMEOUT });
        await page.locator(`[id="${last.id}"] .calc-example-open a`).click();
        const want = await cli(path.join(SCENARIOS, `${last.id}.yaml`));
        await page
          .locator(`#calculator-app [data-total="city"][data-value="${want.city_total}"]`)
          .waitFor({ timeout: 5_000 })
          .catch(() => failures.push(`/${lang}/calculator/: clicking the example ${last.id} does not load it (city total ${want.city_total})`));
      }
    }
    assert.ok(checked > 0 || failures.length > 0, 'no example was checked');
    for (const e of errors) failures.push(`uncaught exception: ${e}`);
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator examples');
});

test('calculator: a scenario typed in lives in the fragment, reopens identically, and nothing is sent', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  const origin = new URL(server.url).origin;
  const requests = [];
  page.on('request', (r) => requests.push(r));
  try {
    await page.goto(`${server.url}/en/calculator/`, { waitUntil: 'load' });
    await ready(page);
    await page.getByRole('combobox', { name: /Where you operate/ }).selectOption('jiaojiang');
    await page.getByRole('checkbox', { name: /International trademark registration/ }).check();
    await page.getByRole('textbox', { name: /International trademark registration fees/ }).fill('300000');
    await page.getByRole('checkbox', { name: /Export credit insurance/ }).check();
    await page.getByRole('textbox', { name: /export credit insurance premiums/i }).fill('100000');
    const city = page.locator('#calculator-app [data-total="city"]');
    // 50% × 300,000 = 150,000 → cap 100,000; up to 60% × 100,000 = 60,000: 160,000.
    await city.and(page.locator('[data-value="160000"]')).waitFor({ timeout: APP_TIMEOUT })
      .catch(() => failures.push('/en/calculator/: trademark 300000 + premium 100000 does not give 160000'));
    const hash = new URL(page.url()).hash;
    if (!/^#v=\d{4}-\d{2}-\d{2}&a=enterprise&p=jiaojiang&d=0&c=trademark:fee=300000&c=credit-insurance:premium=100000$/.test(hash)) {
      failures.push(`/en/calculator/: the fragment does not hold the scenario: ${hash}`);
    }
    const before = (await city.innerText()).trim();
    const page2 = await context.newPage();
    await page2.goto(`${server.url}/zh/calculator/${hash}`, { waitUntil: 'load' });
    await ready(page2);
    const again = await appTotals(page2);
    if (again.city !== '160000') failures.push(`/zh/calculator/${hash}: reopened in Chinese, the city total is ${again.city} (${again.cityText}), expected 160000 (${before} in English)`);
    const fee = page2.getByRole('textbox', { name: /商标国际注册费用/ });
    if ((await fee.inputValue()) !== '300000') failures.push(`/zh/calculator/${hash}: the trademark fee field does not hold 300000`);
    await page2.close();
    for (const r of requests) {
      const u = new URL(r.url());
      if (u.origin !== origin) failures.push(`a request left the site: ${r.method()} ${r.url()}`);
      else if (r.method() !== 'GET') failures.push(`a ${r.method()} request: ${r.url()}`);
      else if (u.search || (!u.pathname.startsWith('/static/') && u.pathname !== '/rules.json' && !u.pathname.endsWith('/calculator/'))) {
        failures.push(`an unexpected request: ${r.url()}`);
      }
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator fragment');
});

test('calculator: a bad amount shows its message beside the field, in the page\'s language', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const cases = [
    { lang: 'zh', pick: /商标国际注册/, field: /商标国际注册费用/, value: '-5', message: /不能为负数/ },
    { lang: 'zh', pick: /商标国际注册/, field: /商标国际注册费用/, value: '1.234', message: /两位小数/ },
    { lang: 'en', pick: /International trademark registration/, field: /International trademark registration fees/, value: '12a', message: /Enter a number/ },
    { lang: 'en', pick: /International trademark registration/, field: /International trademark registration fees/, value: '1000000000000', message: /too large/ },
  ];
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    for (const c of cases) {
      const where = `/${c.lang}/calculator/ (${c.value})`;
      await page.goto('about:blank');
      await page.goto(`${server.url}/${c.lang}/calculator/`, { waitUntil: 'load' });
      await ready(page);
      await page.getByRole('checkbox', { name: c.pick }).check({ timeout: APP_TIMEOUT });
      const field = page.getByRole('textbox', { name: c.field });
      await field.fill(c.value);
      await page.locator('#calculator-app [aria-invalid="true"]').first().waitFor({ timeout: 5_000 }).catch(() => {});
      if ((await field.getAttribute('aria-invalid')) !== 'true') {
        failures.push(`${where}: the field is not marked aria-invalid`);
        continue;
      }
      const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
      const texts = [];
      for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).innerText().catch(() => ''));
      if (!texts.some((x) => c.message.test(x))) {
        failures.push(`${where}: no message matching ${c.message} described by the field (aria-describedby: ${ids.join(' ')}; ${JSON.stringify(texts)})`);
      }
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator input errors');
});

test('calculator: axe finds nothing in a multi-line estimate with an input error, in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  // The organisation example (two instances each of two claims, a fixed sum) with one of its
  // amounts made invalid, so the error state is checked too.
  const fragment =
    '#a=organisation&p=luqiao&d=0&c=selection-centre:investment=5000000;investment=8x&c=events@100000:cost=800000;cost=300000&c=shop-target-award:met';
  const failures = [];
  const context = await browser.newContext();
  await context.addInitScript({ content: AXE_SOURCE });
  const page = await context.newPage();
  try {
    for (const lang of LANGS) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/${lang}/calculator/${fragment}`, { waitUntil: 'load' });
      await ready(page);
      await page.locator('#calculator-app [data-total="city"]').waitFor({ timeout: APP_TIMEOUT });
      if ((await page.locator('#calculator-app [aria-invalid="true"]').count()) !== 1) {
        failures.push(`/${lang}/calculator/${fragment}: expected exactly one field marked invalid`);
      }
      // Open every fold, so the text behind them is checked as well.
      await page.$$eval('#calculator-app details', (ds) => ds.forEach((d) => (d.open = true)));
      const violations = await page.evaluate(
        (tags) =>
          window.axe
            .run('#calculator-app', { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
            .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))),
        AXE_TAGS,
      );
      for (const v of violations) {
        failures.push(`/${lang}/calculator/${fragment}: axe ${v.id} (${v.impact}): ${v.help}; ${v.targets.slice(0, 3).join(', ')}`);
      }
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator accessibility');
});

test('calculator: typed amounts read as natively (12万 in the trademark fee gives 60,000 and echoes 120,000), in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  // The same cases calculator/tests/typed_input.rs runs natively: the WASM app must read each
  // accepted input to the same amount, echo it the same way, and refuse the same inputs.
  const cases = JSON.parse(fs.readFileSync(path.join(REPO, 'calculator/tests/fixtures/typed-amounts.json'), 'utf8'));
  const id = 'f-trademark-0-fee';
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  const state = () =>
    page.evaluate((id) => {
      const field = document.getElementById(id);
      return {
        invalid: field?.getAttribute('aria-invalid') === 'true',
        echo: document.getElementById(`${id}-echo`)?.textContent ?? null,
        error: document.getElementById(`${id}-err`)?.textContent ?? null,
        describedby: field?.getAttribute('aria-describedby') ?? '',
      };
    }, id);
  /** Types a value and waits until the field shows an echo or an error for it. */
  const type = async (value) => {
    const field = page.locator(`#${id}`);
    await field.fill(value);
    await field.blur();
    await page
      .waitForFunction(
        ([id, value]) => {
          const f = document.getElementById(id);
          return f?.value === value && (document.getElementById(`${id}-echo`) || f.getAttribute('aria-invalid') === 'true');
        },
        [id, value],
        { timeout: 5_000 },
      )
      .catch(() => {});
    return state();
  };
  try {
    for (const lang of LANGS) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/${lang}/calculator/#a=enterprise&p=jiaojiang&d=0&c=trademark`, { waitUntil: 'load' });
      await ready(page);
      await page.locator(`#${id}`).waitFor({ timeout: APP_TIMEOUT });
      const cjk = /[\u3400-\u9fff]/;

      // The issue's own example: 50% × 120,000 = 60,000, under the 100,000 cap.
      const s = await type('12万');
      const want = lang === 'zh' ? '= 12万元' : '= RMB 120,000';
      if (s.echo !== want) failures.push(`/${lang}/calculator/: "12万" echoes ${JSON.stringify(s.echo)}, expected ${want}`);
      if (!s.describedby.split(' ').includes(`${id}-echo`)) failures.push(`/${lang}/calculator/: the echo is not in the field's aria-describedby (${s.describedby})`);
      const city = page.locator('#calculator-app [data-total="city"]');
      await city.and(page.locator('[data-value="60000"]')).waitFor({ timeout: 5_000 })
        .catch(async () => failures.push(`/${lang}/calculator/: "12万" in the trademark fee gives a city total of ${await city.getAttribute('data-value').catch(() => '?')}, expected 60000`));

      for (const c of cases.accepted) {
        const s = await type(c.input);
        const where = `/${lang}/calculator/ ${JSON.stringify(c.input)}`;
        if (s.invalid) failures.push(`${where}: refused (${s.error}), natively read as ${c.yuan}`);
        else if (s.echo !== c[lang]) failures.push(`${where}: echoes ${JSON.stringify(s.echo)}, natively ${JSON.stringify(c[lang])}`);
      }
      for (const c of cases.refused) {
        const s = await type(c.input);
        const where = `/${lang}/calculator/ ${JSON.stringify(c.input)}`;
        if (!s.invalid) failures.push(`${where}: accepted (echo ${JSON.stringify(s.echo)}), natively refused as ${c.error}`);
        else if (s.echo !== null) failures.push(`${where}: refused but still echoes ${JSON.stringify(s.echo)}`);
        else if (!s.error || cjk.test(s.error) !== (lang === 'zh')) failures.push(`${where}: the message is not in the page's language: ${JSON.stringify(s.error)}`);
      }
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator typed amounts');
});

// ---- The form at first paint: rendered by the build, then rendered again in its place by the WASM. ----

test('calculator: with JavaScript off the form (its questions and the measures list) and the worked examples show, in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const failures = [];
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    for (const lang of LANGS) {
      const where = `/${lang}/calculator/ without JavaScript`;
      await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'load' });
      const fieldsets = page.locator('#calculator-app .calc-form fieldset');
      if ((await fieldsets.count()) < 2) failures.push(`${where}: the form's fieldsets are missing (${await fieldsets.count()})`);
      for (const sel of ['.calc-profile', '.calc-picks']) {
        if (!(await page.locator(`#calculator-app ${sel}`).first().isVisible())) failures.push(`${where}: ${sel} is not visible`);
      }
      const measures = page.locator('#calculator-app .calc-picks input[type="checkbox"]');
      if ((await measures.count()) === 0) failures.push(`${where}: the measures list has no checkbox`);
      else if (!(await measures.first().isVisible())) failures.push(`${where}: the measures list is not visible`);
      const examples = page.locator('.calc-example');
      if ((await examples.count()) === 0) failures.push(`${where}: no worked example`);
      else if (!(await examples.first().isVisible())) failures.push(`${where}: the worked examples are not visible`);
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator without JavaScript');
});

test('calculator: no layout shift while the app takes over the page, in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const failures = [];
  for (const lang of LANGS) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
    const page = await context.newPage();
    // Sums every layout shift from the first paint on (buffered: those before this runs too).
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    try {
      await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'load' });
      await ready(page);
      // Two frames for the app's second render (the reader's date) to be laid out.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const shift = await page.evaluate(() => window.__shift);
      if (!(shift < 0.01)) failures.push(`/${lang}/calculator/: cumulative layout shift ${shift.toFixed(4)} until the app runs (want < 0.01)`);
    } finally {
      await context.close();
    }
  }
  expectNone(failures, 'calculator layout shift');
});

test('calculator: what the reader did with the built form before the WASM arrived is kept when the app takes over, in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const failures = [];
  for (const lang of LANGS) {
    const where = `/${lang}/calculator/ used before the app ran`;
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    // The WASM is held back until the reader has used the built form, as on a slow connection.
    let release;
    const released = new Promise((r) => { release = r; });
    await page.route(/calculator_bg\.[^/]*wasm$/, async (route) => { await released; await route.continue(); });
    try {
      await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'domcontentloaded' });
      if (await page.locator(READY).count()) failures.push(`${where}: the app ran before its WASM arrived`);
      await page.selectOption('#calc-place', 'jiaojiang');
      await page.check('#pick-trademark');
      // Typed, and left with the focus in it.
      await page.fill('#calc-day', '2025-06-01');
      release();
      await ready(page);
      const got = await page.evaluate(() => ({
        place: document.getElementById('calc-place')?.value,
        picked: document.getElementById('pick-trademark')?.checked,
        // The app itself acted on the tick: the subsidy's amount field is there.
        fee: !!document.getElementById('f-trademark-0-fee'),
        day: document.getElementById('calc-day')?.value,
        focused: document.activeElement?.id,
        hash: location.hash,
      }));
      if (got.place !== 'jiaojiang') failures.push(`${where}: the place chosen became ${JSON.stringify(got.place)}`);
      if (!got.picked) failures.push(`${where}: the trademark subsidy ticked is no longer ticked`);
      if (!got.fee) failures.push(`${where}: the app did not take the tick: no amount field for the trademark subsidy`);
      if (got.day !== '2025-06-01') failures.push(`${where}: the date typed became ${JSON.stringify(got.day)}`);
      if (got.focused !== 'calc-day') failures.push(`${where}: the focus moved from the date field to ${JSON.stringify(got.focused)}`);
      if (!/(^|[#&])p=jiaojiang(&|$)/.test(got.hash) || !/(^|[#&])c=trademark\b/.test(got.hash)) failures.push(`${where}: the fragment ${got.hash} does not record the place and the subsidy`);
      for (const e of errors) failures.push(`${where}: console error: ${e}`);
    } finally {
      await context.close();
    }
  }
  expectNone(failures, 'calculator form used before the app ran');
});

test('calculator: a shared link with a full scenario opens with no console error and shows the command line\'s totals', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const fragment = '#a=enterprise&p=jiaojiang&d=0&c=trademark:fee=120000&c=independent-site:investment=3000000';
  // The same scenario as a file, for the command line.
  const dir = fs.mkdtempSync(path.join(REPO, 'target', 'shared-link-'));
  const file = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(file, [
    'applicant:', '  kind: enterprise', '  place: jiaojiang',
    'claims:',
    '- subsidy: trademark', '  instances:', "  - fee: '120000'",
    '- subsidy: independent-site', '  instances:', "  - investment: '3000000'", '',
  ].join('\n'));
  const want = await cli(file).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  const failures = [];
  for (const lang of LANGS) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      const where = `/${lang}/calculator/${fragment}`;
      await page.goto(`${server.url}/${lang}/calculator/${fragment}`, { waitUntil: 'load' });
      await ready(page);
      const got = await appTotals(page);
      if (got.city !== want.city_total) failures.push(`${where}: the city total is ${got.city} (${got.cityText}), the command line says ${want.city_total}`);
      const lines = await page.locator('#calculator-app .calc-line').count();
      if (lines !== want.lines.length) failures.push(`${where}: ${lines} lines, the command line lists ${want.lines.length}`);
      // The app records the version the link is read under (`v=`) before the scenario.
      if (new URL(page.url()).hash.replace(/^#v=\d{4}-\d{2}-\d{2}&/, '#') !== fragment) failures.push(`${where}: the fragment became ${new URL(page.url()).hash}`);
      for (const e of errors) failures.push(`${where}: console error: ${e}`);
    } finally {
      await context.close();
    }
  }
  expectNone(failures, 'calculator shared link');
});

test('calculator: an untouched form shows no error message, before and after the app takes over', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/');
  const failures = [];
  const check = async (page, where) => {
    const errs = await page.locator('#calculator-app .calc-error').allInnerTexts();
    if (errs.length) failures.push(`${where}: error messages on an untouched form: ${errs.join(' | ')}`);
    if (await page.locator('#calculator-app .calc-notice.input-errors').count()) failures.push(`${where}: the input-errors notice shows on an untouched form`);
    if (await page.locator('#calculator-app [aria-invalid="true"]').count()) failures.push(`${where}: a field is marked invalid on an untouched form`);
  };
  for (const js of [false, true]) {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    try {
      for (const lang of LANGS) {
        await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'load' });
        if (js) await ready(page);
        await check(page, `/${lang}/calculator/ (${js ? 'the app running' : 'as built, JavaScript off'})`);
      }
    } finally {
      await context.close();
    }
  }
  expectNone(failures, 'calculator untouched form');
});

test('calculator: the first screen flags nothing; a county\'s headline is its reference total; conditions still to be set stay out of every total', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/ (cargo run --release -p generator -- build)');
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    for (const lang of LANGS) {
      // An untouched form: no error beside a field, no input-errors notice, no place notice.
      await page.goto('about:blank');
      await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'load' });
      await ready(page);
      const flagged = await page.$$eval(
        '#calculator-app .calc-error, #calculator-app .calc-notice.input-errors, #calculator-app .calc-notice.unknown-place, #calculator-app [aria-invalid="true"]',
        (els) => els.map((e) => e.className || e.id),
      );
      if (flagged.length) failures.push(`/${lang}/calculator/: the untouched form already flags ${flagged.join(', ')}`);

      // A county applicant (Wenling): the first total is the reference total, with its label.
      await page.goto('about:blank');
      await page.goto(`${server.url}/${lang}/calculator/#a=enterprise&p=wenling&d=0&c=trademark:fee=300000&c=logistics:cost=80000`, { waitUntil: 'load' });
      await ready(page);
      const first = page.locator('#calculator-app .calc-totals .calc-total').first();
      await first.waitFor({ timeout: APP_TIMEOUT });
      const headline = await first.locator('strong').getAttribute('data-total');
      const value = await first.locator('strong').getAttribute('data-value');
      if (headline !== 'reference' || value !== '180000') failures.push(`/${lang}/calculator/ (Wenling): the headline is ${headline} ${value}, expected the reference total 180000`);
      const units = await page.$$eval('#calculator-app .calc-notice.county a', (as) => as.map((a) => a.getAttribute('href')));
      if (!units.some((h) => h.endsWith('/units/counties/'))) failures.push(`/${lang}/calculator/ (Wenling): the county notice does not name the county governments (${units.join(', ')})`);

      // 一（一）符合条件: a ceiling listed apart, never in the total.
      await page.goto('about:blank');
      await page.goto(`${server.url}/${lang}/calculator/#a=enterprise&p=jiaojiang&d=0&c=qualified-enterprise&c=patent:fee=1000`, { waitUntil: 'load' });
      await ready(page);
      const city = page.locator('#calculator-app [data-total="city"]');
      await city.waitFor({ timeout: APP_TIMEOUT });
      if ((await city.getAttribute('data-value')) !== '500') failures.push(`/${lang}/calculator/: with 一（一） ticked the city total is ${await city.getAttribute('data-value')}, expected 500 (the patent only)`);
      if (!(await page.locator('#calculator-app .calc-lines.pending .calc-line').count())) failures.push(`/${lang}/calculator/: 一（一） is not listed apart under conditions still to be set`);
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator first screen');
});

test('calculator: "estimate this" on a subsidy card opens the calculator with that subsidy chosen', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/ (cargo run --release -p generator -- build)');
  const failures = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    for (const lang of LANGS) {
      for (const id of ['trademark', 'training', 'selection-centre']) {
        await page.goto('about:blank');
        await page.goto(`${server.url}/${lang}/attachment/#subsidy-${id}`, { waitUntil: 'load' });
        const link = page.locator(`#subsidy-${id} .estimate-this a`);
        if (!(await link.count())) {
          failures.push(`/${lang}/attachment/#subsidy-${id}: no "estimate this" link`);
          continue;
        }
        await link.click();
        await page.waitForURL(/\/calculator\//);
        await ready(page);
        const box = page.locator(`#calculator-app #pick-${id}`);
        await box.waitFor({ timeout: APP_TIMEOUT });
        if (!(await box.isChecked())) failures.push(`/${lang}/attachment/#subsidy-${id}: the calculator opened without ${id} chosen`);
        const flagged = await page.locator('#calculator-app .calc-error').count();
        if (flagged) failures.push(`/${lang}/attachment/#subsidy-${id}: the calculator opened with ${flagged} error(s) before anything was typed`);
      }
      // A measure no applicant claims has no such link.
      await page.goto(`${server.url}/${lang}/attachment/#subsidy-industry-fund`, { waitUntil: 'load' });
      if (await page.locator('#subsidy-industry-fund .estimate-this a').count()) failures.push(`/${lang}/attachment/: the industry fund, which no applicant claims, has an "estimate this" link`);
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator ways in');
});

test('calculator: a three-line county estimate prints on one A4 page, headed with the document number, the version and the date printed, ending with its link, in both languages', async (t) => {
  if (!built()) return t.skip('no calculator with its WASM in dist/ (cargo run --release -p generator -- build)');
  const failures = [];
  // Three subsidies with amounts, in a county (its notices are the longest a short estimate gets).
  const frag = '#a=enterprise&p=wenling&d=0&c=trademark:fee=300000&c=logistics:cost=80000&c=exhibitions:cost=50000';
  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  try {
    for (const lang of LANGS) {
      const where = `/${lang}/calculator/${frag}`;
      await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'load' });
      await page.goto(`${server.url}${where}`, { waitUntil: 'load' });
      await page.reload({ waitUntil: 'load' });
      await ready(page);
      await page.emulateMedia({ media: 'print' });
      const lines = await page.locator('#calculator-app .calc-lines:not(.pending) > li').count();
      if (lines !== 3) failures.push(`${where}: ${lines} estimate lines printed, expected 3`);
      const basis = await page.locator('#calculator-app .calc-basis').innerText();
      if (!basis.includes(lang === 'zh' ? '台政办发〔2024〕26号' : 'Tai Zheng Ban Fa [2024] No. 26')) failures.push(`${where}: the printed heading has no document number: ${basis}`);
      if (!/\d{4}-\d{2}-\d{2}-[0-9a-f]{8}/.test(basis)) failures.push(`${where}: the printed heading has no rule-set version: ${basis}`);
      const today = new Date().toISOString().slice(0, 8);
      const printed = await page.locator('#calculator-app .calc-printed').innerText();
      if (!printed.includes(today)) failures.push(`${where}: the printed heading has no date printed: ${printed}`);
      const link = await page.locator('#calculator-app .calc-print-link').innerText();
      if (!link.includes('c=trademark:fee=300000')) failures.push(`${where}: the print does not end with the estimate's link: ${link}`);
      const pdf = await page.pdf({ format: 'A4' });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
      if (pages !== 1) failures.push(`${where}: printed on ${pages} A4 pages, expected one`);
      await page.emulateMedia({ media: 'screen' });
    }
  } finally {
    await context.close();
  }
  expectNone(failures, 'calculator print');
});
