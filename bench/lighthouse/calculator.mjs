// Lighthouse Performance (mobile preset) on the two calculator pages only, several runs each,
// with the median: Performance moves by a few points between runs on a shared machine.
//
//   node bench/lighthouse/calculator.mjs [SITE_DIR] [RUNS]     (default: dist/, 5 runs)
//
// Served compressed, as a static host serves it (compressed-server.mjs: brotli when the browser
// accepts it, else gzip, with Content-Encoding); LH_ENCODINGS=gzip offers gzip only,
// LH_ENCODINGS=none sends the files as they are. LH_KEEP=DIR keeps each run's JSON report there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serveCompressed } from './compressed-server.mjs';
import { CHROMIUM_ARGS } from '../../tests/browser/lib/browser.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(process.argv[2] ?? path.join(HERE, '../../dist'));
const RUNS = Number(process.argv[3] ?? 5);
const LIGHTHOUSE = path.join(HERE, 'node_modules/lighthouse/cli/index.js');
process.env.CHROME_PATH ??= '/usr/bin/chromium';

const ENCODINGS = (process.env.LH_ENCODINGS ?? 'br,gzip').split(',').filter((e) => e && e !== 'none');
const KEEP = process.env.LH_KEEP ? path.resolve(process.env.LH_KEEP) : null;
if (KEEP) fs.mkdirSync(KEEP, { recursive: true });

const WARM = ['static', 'zh/calculator', 'en/calculator'];
const server = await serveCompressed(ROOT, { encodings: ENCODINGS, warm: WARM });
console.log(`served with Content-Encoding: ${ENCODINGS.join(' or ') || 'none'}`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-calc-'));
try {
  for (const p of ['/zh/calculator/', '/en/calculator/']) {
    const scores = [];
    const metrics = [];
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(tmp, 'report.json');
      await run(
        process.execPath,
        [
          LIGHTHOUSE,
          server.url + p,
          '--output=json',
          `--output-path=${out}`,
          '--only-categories=performance',
          `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`,
          '--quiet',
        ],
        { maxBuffer: 64 << 20, timeout: 300_000 },
      );
      const r = JSON.parse(fs.readFileSync(out, 'utf8'));
      if (KEEP) fs.copyFileSync(out, path.join(KEEP, `${p.split('/')[1]}-${i + 1}.json`));
      scores.push(Math.round(r.categories.performance.score * 100));
      const m = (id) => r.audits[id]?.displayValue ?? '?';
      metrics.push(`${scores.at(-1)}: FCP ${m('first-contentful-paint')}, LCP ${m('largest-contentful-paint')}, TBT ${m('total-blocking-time')}, SI ${m('speed-index')}, CLS ${m('cumulative-layout-shift')}`);
    }
    const sorted = [...scores].sort((a, b) => a - b);
    console.log(`${p}: median ${sorted[Math.floor(RUNS / 2)]}, min ${sorted[0]} (runs: ${scores.join(', ')})`);
    for (const m of metrics) console.log(`    ${m}`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
  await server.close();
}
