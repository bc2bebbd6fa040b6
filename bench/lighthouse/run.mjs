// Serve dist/ on loopback, run the Lighthouse CLI on each page, write results.md.
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serve } from '../../tests/browser/lib/server.mjs';
import { CHROMIUM_ARGS } from '../../tests/browser/lib/browser.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const DIST = path.join(REPO, 'dist');
const OUT = path.join(REPO, 'bench/out/lighthouse');
const LIGHTHOUSE = path.join(HERE, 'node_modules/lighthouse/cli/index.js');
const CATEGORIES = [
  ['performance', 'Performance'],
  ['accessibility', 'Accessibility'],
  ['best-practices', 'Best practices'],
  ['seo', 'SEO'],
];
// A task is a fragment of the plan page (/zh/plan/#task-1): Lighthouse audits the page.
const PAGES = [
  ['/', 'language chooser'],
  ['/zh/', 'home'],
  ['/en/', 'home'],
  ['/zh/plan/', 'a task (/zh/plan/#task-1)'],
  ['/en/plan/', 'a task (/en/plan/#task-1)'],
  ['/zh/calculator/', 'calculator'],
  ['/en/calculator/', 'calculator'],
  ['/zh/search/', 'search'],
  ['/en/search/', 'search'],
];

fs.mkdirSync(OUT, { recursive: true });
const server = await serve(DIST);
// Build the site for the address it is served at, as a deployment would (SITE_URL makes the
// hreflang and canonical links absolute, which Lighthouse's SEO audit requires); the server
// reads dist/ on each request, so the rebuilt site is what it serves.
const build = (env) =>
  run('cargo', ['run', '--quiet', '--release', '-p', 'generator', '--', 'build'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
await build({ SITE_URL: server.url });
const rows = [];
const skipped = [];
const notes = [];
try {
  const { stdout: version } = await run(process.execPath, [LIGHTHOUSE, '--version']);
  const { stdout: chromeVersion } = await run(process.env.CHROME_PATH, ['--version']);
  for (const [p, what] of PAGES) {
    if (!fs.existsSync(path.join(DIST, p, 'index.html'))) {
      skipped.push(p);
      continue;
    }
    const name = p === '/' ? 'root' : p.replace(/^\/|\/$/g, '').replace(/\//g, '-');
    const base = path.join(OUT, name);
    process.stdout.write(`lighthouse ${p} … `);
    await run(
      process.execPath,
      [
        LIGHTHOUSE,
        server.url + p,
        '--output=json',
        '--output=html',
        `--output-path=${base}`,
        `--only-categories=${CATEGORIES.map((c) => c[0]).join(',')}`,
        `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`,
        '--quiet',
      ],
      { maxBuffer: 64 << 20, timeout: 300_000 },
    );
    const report = JSON.parse(fs.readFileSync(`${base}.report.json`, 'utf8'));
    const scores = CATEGORIES.map(([id]) => Math.round((report.categories[id]?.score ?? NaN) * 100));
    console.log(scores.join(' / '));
    rows.push({ p, what, scores });
    // The audits that cost points, for whoever fixes them.
    const lost = new Set();
    for (const [id] of CATEGORIES) {
      for (const ref of report.categories[id]?.auditRefs ?? []) {
        const a = report.audits[ref.id];
        if (ref.weight > 0 && a && a.score !== null && a.score < 1) {
          const v = a.displayValue ? ` (${a.displayValue})` : '';
          lost.add(`${id}: \`${a.id}\` ${a.title}${v}`);
        }
      }
    }
    if (lost.size) notes.push(`- \`${p}\`: ${[...lost].join('; ')}`);
  }
  const date = new Date().toISOString().slice(0, 10);
  const md = [
    '# Lighthouse',
    '',
    `Lighthouse ${version.trim()}, mobile preset (the default: emulated Moto G Power, simulated slow 4G and 4× CPU slowdown), ` +
      `${chromeVersion.trim()} headless, dist/ served on loopback by tests/browser/lib/server.mjs; ${date}. ` +
      'Run by hand: `bash bench/lighthouse/run`. Full reports: bench/out/lighthouse/ (not committed). ' +
      'Performance is measured on a shared 2-core machine and moves by a few points from run to run.',
    '',
    '| page | what | ' + CATEGORIES.map((c) => c[1]).join(' | ') + ' |',
    '|---|---|' + CATEGORIES.map(() => '---:').join('|') + '|',
    ...rows.map((r) => `| \`${r.p}\` | ${r.what} | ${r.scores.join(' | ')} |`),
    '',
    skipped.length ? `Not in dist/ yet, skipped: ${skipped.map((s) => '`' + s + '`').join(', ')}.` : '',
    '',
    notes.length ? '## Audits below full score\n\n' + notes.join('\n') : 'Every weighted audit passes.',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(HERE, 'results.md'), md);
  console.log(`\nwrote ${path.relative(REPO, path.join(HERE, 'results.md'))}`);
} finally {
  await server.close();
  // Leave dist/ as the plain build (relative links), as the test command expects it.
  await build({ SITE_URL: '' });
}
