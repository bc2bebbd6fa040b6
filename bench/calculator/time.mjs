// Time to estimate a 100-claim scenario (scenario.mjs), natively and in the browser.
//   node bench/calculator/time.mjs [--no-build]      (bench/calculator/run installs and builds)
// Native: `generator estimate <scenario> --format json`, the whole process (start, loading and
// checking content/, the estimate, printing), median of NATIVE_RUNS (21) runs; the same for a
// scenario of one item, so that the difference is what 99 more items cost.
// Browser: headless Chromium loads /en/calculator/#<scenario> (and /zh/) on a loopback server,
// fresh context each time (nothing cached), BROWSER_RUNS (7) times; the time from navigation start
// until the app is running and shows the city total the command line gives (checked), with when
// the WASM had arrived; then one amount is changed (typed into its field) and the time until the
// new total is shown (median of 5 changes a page).
// Writes bench/out/calculator/times.json and bench/calculator/RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { serve } from '../../tests/browser/lib/server.mjs';
import { launch } from '../../tests/browser/lib/browser.mjs';
import { REPO, buildSites, machineLoad, generator } from '../pages/sites.mjs';

const OUT = path.join(REPO, 'bench/out/calculator');
const NATIVE_RUNS = Number(process.env.NATIVE_RUNS || 21);
const BROWSER_RUNS = Number(process.env.BROWSER_RUNS || 7);
const CHANGES = 5;
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));

const load0 = await machineLoad();
const bin = generator();
const dist = process.argv.includes('--no-build') ? path.join(OUT, 'sites/real/dist') : buildSites(path.join(OUT, 'sites'), { bin, only: ['real'] }).real;
const root = path.dirname(dist);
for (const n of [1, 100]) {
  execFileSync('node', [path.join(REPO, 'bench/calculator/scenario.mjs'), path.join(dist, 'rules.json'), OUT, String(n)], { stdio: 'inherit' });
}
const scenario = (n) => path.join(OUT, `scenario-${n}.yaml`);
const fragmentOf = (n) => fs.readFileSync(path.join(OUT, `scenario-${n}.fragment`), 'utf8');
const fragment = fragmentOf(100);

// Native.
// Wall time of the whole process, and its CPU time (user + system, from bash's `times`), which a
// busy machine changes much less than the wall time.
function nativeRuns(file) {
  const times = [];
  const cpu = [];
  const env = { ...process.env, GENERATOR_ROOT: root };
  const r = spawnSync(bin, ['estimate', file, '--format', 'json'], { cwd: root, env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`generator estimate ${file}: ${r.stderr}`);
  const estimate = JSON.parse(r.stdout);
  const secs = (t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return Number(m[1]) * 60 + Number(m[2]); };
  for (let i = 0; i < NATIVE_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const b = spawnSync('bash', ['-c', '"$0" estimate "$1" --format json >/dev/null || exit 1; times', bin, file], { cwd: root, env });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (b.status !== 0) throw new Error(`generator estimate ${file} failed`);
    const children = b.stdout.toString().trim().split('\n')[1].split(/\s+/);
    cpu.push((secs(children[0]) + secs(children[1])) * 1000);
  }
  return { times, cpu, estimate };
}
const native100 = nativeRuns(scenario(100));
const native1 = nativeRuns(scenario(1));
if (native100.estimate.errors.length || native100.estimate.lines.some((l) => l.errors?.length)) {
  throw new Error('the 100-claim scenario has input errors: fix bench/calculator/scenario.mjs');
}
const want = native100.estimate.city_total;
console.error(`native: 100 items ${ms(med(native100.times))} ms, 1 item ${ms(med(native1.times))} ms; city total ${want}`);

// The engine alone, in process (calculator/tests/engine_bench.rs), when ENGINE_BENCH names the
// cargo profile to build it with (release, or debug on a machine too busy for a release build).
let engineLine = null;
if (process.env.ENGINE_BENCH) {
  const profile = process.env.ENGINE_BENCH === 'release' ? ['--release'] : [];
  const out = execFileSync('cargo', ['test', '-q', ...profile, '-p', 'calculator', '--test', 'engine_bench', '--', '--ignored', '--nocapture'], {
    cwd: REPO,
    env: { ...process.env, ENGINE_BENCH_RULES: path.join(dist, 'rules.json'), ENGINE_BENCH_SCENARIO: scenario(100) },
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
  engineLine = /engine: .*/.exec(out)?.[0] ?? null;
  console.error(engineLine);
}

// Browser.
const server = await serve(dist);
const browser = await launch();
const runs = { zh: [], en: [] };
// The same with the one-item scenario: what the app costs to start whatever the scenario.
const base = { zh: [], en: [] };
try {
  for (let i = 0; i < BROWSER_RUNS; i++) {
    for (const [lang, n] of [['zh', 100], ['en', 100], ['zh', 1], ['en', 1]]) {
      const value = n === 100 ? want : native1.estimate.city_total;
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/${lang}/calculator/#${fragmentOf(n)}`, { waitUntil: 'commit' });
      // Polled on every animation frame: the time is taken in the frame the total is drawn in.
      const shown = await page.waitForFunction(
        (value) => {
          const app = document.querySelector('#calculator-app .calc[data-app="ready"]');
          const total = document.querySelector('#calculator-app [data-total="city"]');
          return app && total && total.getAttribute('data-value') === value ? performance.now() : false;
        },
        value,
        { polling: 'raf', timeout: 60_000 },
      ).then((h) => h.jsonValue());
      const timing = await page.evaluate(() => {
        const wasm = performance.getEntriesByType('resource').find((e) => /\.wasm$/.test(e.name));
        const nav = performance.getEntriesByType('navigation')[0];
        return { wasmEnd: wasm?.responseEnd, domContentLoaded: nav?.domContentLoadedEventEnd };
      });
      // One input changed: the first amount of the scenario's first amount field, typed anew.
      const changes = [];
      for (let k = 0; k < CHANGES; k++) {
        changes.push(await page.evaluate(async (k) => {
          const total = document.querySelector('#calculator-app [data-total="city"]');
          const field = [...document.querySelectorAll('#calculator-app input')].find((f) => /^\d+$/.test(f.value) && Number(f.value) >= 1000);
          const before = total.getAttribute('data-value');
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
          const t0 = performance.now();
          setter.call(field, String(Number(field.value) + 10000 * (k % 2 ? -1 : 1)));
          field.dispatchEvent(new Event('input', { bubbles: true }));
          field.dispatchEvent(new Event('change', { bubbles: true }));
          await new Promise((res, rej) => {
            const check = () => (document.querySelector('#calculator-app [data-total="city"]').getAttribute('data-value') !== before ? res() : requestAnimationFrame(check));
            setTimeout(() => rej(new Error('the total did not change')), 10_000);
            check();
          });
          // The frame the new total is painted in.
          await new Promise((res) => requestAnimationFrame(() => res()));
          return performance.now() - t0;
        }, k));
      }
      (n === 100 ? runs : base)[lang].push({ shown, ...timing, change: med(changes), errors });
      console.error(`${lang}, ${n} item(s): total shown at ${ms(shown)} ms (WASM in at ${ms(timing.wasmEnd ?? NaN)} ms), re-estimate ${ms(med(changes))} ms`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const load1 = await machineLoad();
fs.writeFileSync(path.join(OUT, 'times.json'), JSON.stringify({ native100: native100.times, native100cpu: native100.cpu, native1: native1.times, native1cpu: native1.cpu, runs, base }, null, 1));

const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const genNote = process.env.GENERATOR ? `the generator \`${process.env.GENERATOR}\` ($GENERATOR)` : 'a release build of this checkout';
const lines = native100.estimate.lines;
const row = (label, xs) => `| ${label} | ${ms(med(xs))} ms | ${ms(Math.min(...xs))} ms | ${ms(Math.max(...xs))} ms |`;
const notes = path.join(REPO, 'bench/calculator/NOTES.md');
const md = [
  '# Calculator timing: a 100-claim scenario',
  '',
  `Measured ${date} with \`bash bench/calculator/run\` (site and estimates by ${genNote}; ${load0} at the start, ${load1} at the end: ` +
    'a load above the number of cores, from other work or the steps run before, makes every time here longer than on a quiet machine).',
  '',
  `The scenario (\`bench/calculator/scenario.mjs\`, from the site's rules.json): an enterprise in ${native100.estimate.place?.id ?? 'a city district'} ` +
    `claiming every subsidy open to an enterprise, ${lines.length} subsidies with 100 claim items in all ` +
    '(a scenario names each subsidy once; its items are the fees, investments, centres, warehouses… claimed under it). ' +
    `It is valid: no input error, city total ${want} yuan, the same natively and in the browser (checked on every run). Its URL fragment is ${fragment.length} characters.`,
  '',
  `## Natively: \`generator estimate scenario-100.yaml --format json\` (${NATIVE_RUNS} runs after one warm-up)`,
  '',
  'The whole process: start, load and check content/, estimate, print JSON.',
  '',
  '| scenario | median | fastest | slowest |',
  '|---|---:|---:|---:|',
  row('100 claim items, wall time', native100.times),
  row('100 claim items, CPU time (user + system)', native100.cpu),
  row('1 claim item, wall time', native1.times),
  row('1 claim item, CPU time (user + system)', native1.cpu),
  '',
  `What the 99 further items cost, difference of the CPU-time medians (the engine's share, with the longer JSON printed): ${ms(med(native100.cpu) - med(native1.cpu))} ms ` +
    '(bash\'s `times` counts in milliseconds). The wall time is mostly waiting for a core on this busy machine.',
  '',
  engineLine
    ? `The engine alone, \`calculator::estimate\` in process on the same rules and scenario (calculator/tests/engine_bench.rs, 1,001 estimates after 50): ${engineLine.replace(/^engine: /, '')}.`
    : 'The engine alone: `ENGINE_BENCH=release bash bench/calculator/run` adds a line from calculator/tests/engine_bench.rs (not run here).',
  '',
  `## In the browser: \`/<lang>/calculator/#<scenario>\` (${BROWSER_RUNS} page loads a language, fresh context each)`,
  '',
  'From navigation start (the page requested) to the frame in which the running app shows the scenario\'s total (the 100-item one, and the one-item ' +
    'scenario for comparison), with when the WASM had been ' +
    'downloaded; re-estimate: one amount field typed anew (input event) to the frame showing the new total (median of 5 changes a load). ' +
    'Served uncompressed from loopback, no network or CPU throttling.',
  '',
  '| page | total shown (median) | fastest | slowest | WASM downloaded at (median) | re-estimate after one change (median) |',
  '|---|---:|---:|---:|---:|---:|',
  ...[['zh', 100], ['en', 100], ['zh', 1], ['en', 1]].map(([l, n]) => {
    const r = (n === 100 ? runs : base)[l];
    return `| \`/${l}/calculator/\`, ${n === 100 ? '100 items' : '1 item'} | ${ms(med(r.map((x) => x.shown)))} ms | ${ms(Math.min(...r.map((x) => x.shown)))} ms | ${ms(Math.max(...r.map((x) => x.shown)))} ms | ` +
      `${ms(med(r.map((x) => x.wasmEnd)))} ms | ${ms(med(r.map((x) => x.change)))} ms |`;
  }),
  '',
  (() => {
    const errs = [...runs.zh, ...runs.en, ...base.zh, ...base.en].flatMap((r) => r.errors);
    return errs.length ? `Page errors: ${[...new Set(errs)].join('; ')}` : 'No page error in any run.';
  })(),
  '',
].join('\n');
fs.writeFileSync(path.join(REPO, 'bench/calculator/RESULTS.md'), md + (fs.existsSync(notes) ? '\n' + fs.readFileSync(notes, 'utf8') : ''));
console.error('wrote bench/calculator/RESULTS.md');
