// The main thread's long tasks (over 50 ms) while the calculator page loads and hydrates, in
// Debian's headless Chromium with no throttling, served compressed: where Lighthouse's Total
// Blocking Time comes from (it multiplies each task by its 4× CPU slowdown).
//
//   node bench/lighthouse/long-tasks.mjs [SITE_DIR] [RUNS]     (default: dist/, 5 runs)
//
// Prints, per page, the median time from navigation until `data-app="ready"` and each run's
// tasks (start and duration, ms), with CPU_RATE=N to throttle the CPU N×.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveCompressed } from './compressed-server.mjs';
import { launch } from '../../tests/browser/lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.argv[2] ?? path.join(REPO, 'dist'));
const RUNS = Number(process.argv[3] ?? 5);
const RATE = Number(process.env.CPU_RATE ?? 1);

const WARM = ['static', 'zh/calculator', 'en/calculator'];
const server = await serveCompressed(ROOT, { warm: WARM });
const browser = await launch();
try {
  for (const lang of ['zh', 'en']) {
    const ready = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true });
      await context.addInitScript(() => {
        window.__tasks = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) window.__tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
        }).observe({ type: 'longtask', buffered: true });
      });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      if (RATE > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
      await page.goto(`${server.url}/${lang}/calculator/`, { waitUntil: 'commit' });
      await page.waitForSelector('[data-app="ready"]', { timeout: 60_000 });
      const at = await page.evaluate(() => performance.now());
      await page.waitForTimeout(500);
      const tasks = await page.evaluate(() => window.__tasks);
      ready.push(at);
      console.log(`/${lang}/calculator/ run ${i + 1}: ready by ${Math.round(at)} ms; long tasks ${JSON.stringify(tasks)}`);
      await context.close();
    }
    ready.sort((a, b) => a - b);
    console.log(`/${lang}/calculator/: median ready by ${Math.round(ready[Math.floor(RUNS / 2)])} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}
