// Time to an interactive calculator on a throttled phone: from navigation start until the
// form's first checkbox answers a click by writing the scenario into the URL fragment (which
// only the running app does). The moment is taken inside the page, when the app calls
// `history.replaceState` (an init script wraps it): timed from outside, a click that Playwright
// dispatched while the throttled page was still busy would be dated when it was sent, and
// report the form interactive seconds before the WASM had even arrived. Slow 4G (400 ms round trip, 400 kbit/s down) and a 4× slower CPU,
// through the Chrome DevTools Protocol, in Debian's headless Chromium. Also reports first
// contentful paint and when the first checkbox is on screen.
//
//   node bench/lighthouse/time-to-form.mjs [SITE_DIR] [RUNS]     (default: dist/, 5 runs)
//
// Files are sent gzipped (-9), as a static host would: what a phone downloads.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveCompressed } from './compressed-server.mjs';
import { launch } from '../../tests/browser/lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.argv[2] ?? path.join(REPO, 'dist'));
const RUNS = Number(process.argv[3] ?? 5);
const BOX = '#calculator-app input[type="checkbox"]';

// gzip only, as the earlier measurements (calculator-results.md) were made.
const WARM = ['static', 'zh/calculator', 'en/calculator'];
const server = await serveCompressed(ROOT, { encodings: ['gzip'], warm: WARM });
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(lang) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: (400 * 1000) / 8,
    uploadThroughput: (400 * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => {
    const replace = history.replaceState;
    history.replaceState = function (...args) {
      if (window.__fragmentWritten == null) window.__fragmentWritten = performance.now();
      return replace.apply(this, args);
    };
  });
  await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'commit' });
  const box = page.locator(BOX).first();
  await box.waitFor({ state: 'visible', timeout: 60_000 });
  const visible = await page.evaluate(() => performance.now());
  // Click until a click writes the fragment. A click before the app runs only toggles the
  // box; the time kept is that of the click that worked.
  // The app may write the fragment by itself once it runs (a shared link, the date): only a
  // write after a click counts, so the mark is cleared before each click.
  let interactive = null;
  for (let i = 0; i < 600 && interactive === null; i++) {
    await page.evaluate(() => {
      window.__fragmentWritten = null;
    });
    await box.click({ timeout: 30_000 });
    interactive = await page.evaluate(() => window.__fragmentWritten ?? null);
    if (interactive === null) await page.waitForTimeout(50);
  }
  const wasm = await page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .find((r) => r.name.endsWith('.wasm'))?.responseEnd ?? null,
  );
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  );
  await context.close();
  return { fcp, visible, wasm, interactive };
}

try {
  for (const lang of ['zh', 'en']) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(lang));
    const fmt = (k) => {
      const xs = runs.map((r) => r[k]).filter((x) => x !== null);
      return xs.length ? `${(median(xs) / 1000).toFixed(2)} s` : 'n/a';
    };
    console.log(
      `/${lang}/calculator/ (median of ${RUNS}): first contentful paint ${fmt('fcp')}, ` +
        `form visible ${fmt('visible')}, WASM downloaded ${fmt('wasm')}, ` +
        `form interactive ${fmt('interactive')}` +
        `  [interactive: ${runs.map((r) => (r.interactive / 1000).toFixed(2)).join(', ')}]`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
