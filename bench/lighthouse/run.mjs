// Lighthouse (mobile preset, the four categories) over every page type in both languages, three
// runs a page, the median of each category; writes bench/lighthouse/results.md.
// The sites are built into bench/out/lighthouse/sites/ by bench/pages/sites.mjs (dist/ is left alone),
// each for the address it is served at (SITE_URL makes the hreflang and canonical links
// absolute, as a deployment's are: Lighthouse's SEO audit requires it).
//   LIGHTHOUSE_RUNS=n (default 3) runs each page n times; LIGHTHOUSE_JOBS=n (default 1) audits n
//   pages at once.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serve } from '../../tests/browser/lib/server.mjs';
import { CHROMIUM_ARGS } from '../../tests/browser/lib/browser.mjs';
import { buildSites, pageTypes, machineLoad, generator } from '../pages/sites.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
// LIGHTHOUSE_ONLY (a regular expression) audits the pages whose path matches it, into
// LIGHTHOUSE_RESULTS (a file name here, default results.md), with its own sites: so that two
// runs can share the pages on a machine too busy for one run to audit them all in time.
const ONLY = process.env.LIGHTHOUSE_ONLY ? new RegExp(process.env.LIGHTHOUSE_ONLY) : null;
const RESULTS = process.env.LIGHTHOUSE_RESULTS || 'results.md';
const SITES = path.join(REPO, 'bench/out/lighthouse', RESULTS === 'results.md' ? 'sites' : `sites-${path.basename(RESULTS, '.md')}`);
const OUT = path.join(REPO, 'bench/out/lighthouse');
const LIGHTHOUSE = path.join(HERE, 'node_modules/lighthouse/cli/index.js');
const RUNS = Number(process.env.LIGHTHOUSE_RUNS || 3);
const JOBS = Number(process.env.LIGHTHOUSE_JOBS || 1);
const CATEGORIES = [
  ['performance', 'Performance'],
  ['accessibility', 'Accessibility'],
  ['best-practices', 'Best practices'],
  ['seo', 'SEO'],
];
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

fs.mkdirSync(OUT, { recursive: true });
const servers = {};
for (const name of ['real', 'library']) {
  fs.mkdirSync(path.join(SITES, name, 'dist'), { recursive: true });
  servers[name] = await serve(path.join(SITES, name, 'dist'));
}
const load0 = await machineLoad();
const loads = [];
buildSites(SITES, { siteUrl: (name) => servers[name].url, bin: generator() });
const rows = [];
const notes = [];
try {
  const { stdout: version } = await run(process.execPath, [LIGHTHOUSE, '--version']);
  const { stdout: chromeVersion } = await run(process.env.CHROME_PATH, ['--version']);
  const pages = pageTypes().filter(([, p]) => !ONLY || ONLY.test(p));
  const auditPage = async (index) => {
    const [site, p, what] = pages[index];
    const name = (site === 'real' ? '' : site + '-') + (p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'root');
    const runs = [];
    const lost = new Set();
    for (let i = 1; i <= RUNS; i++) {
      const base = path.join(OUT, `${name}.${i}`);
      loads.push(os.loadavg()[0]);
      await run(
        process.execPath,
        [
          LIGHTHOUSE,
          servers[site].url + p,
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
      runs.push(CATEGORIES.map(([id]) => Math.round((report.categories[id]?.score ?? NaN) * 100)));
      // The audits that cost points in any run, for whoever fixes them.
      for (const [id] of CATEGORIES) {
        for (const ref of report.categories[id]?.auditRefs ?? []) {
          const a = report.audits[ref.id];
          if (ref.weight > 0 && a && a.score !== null && a.score < 1) lost.add(`${id}: \`${a.id}\` ${a.title}`);
        }
      }
    }
    const scores = CATEGORIES.map((_, c) => med(runs.map((r) => r[c])));
    console.log(`${p}: ${scores.join(' / ')}  (runs: ${runs.map((r) => r.join('/')).join(', ')})`);
    rows[index] = { site, p, what, scores, runs };
    if (lost.size) notes[index] = `- \`${p}\`${site === 'real' ? '' : ` (${site} site)`}: ${[...lost].join('; ')}`;
    await write(version, chromeVersion);
  };
  // JOBS pages are audited at once (default 1): 2 halves the time on a machine where the
  // audits would otherwise outlast the session, at the cost of noisier Performance.
  let nextPage = 0;
  const worker = async () => {
    while (nextPage < pages.length) await auditPage(nextPage++);
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
} finally {
  for (const s of Object.values(servers)) await s.close();
}

/** Writes results.md with the pages audited so far (after each page, so a cut run leaves them). */
async function write(version, chromeVersion) {
  const done = rows.filter(Boolean);
  const load1 = await machineLoad();
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const md = [
    '# Lighthouse',
    '',
    `Lighthouse ${version.trim()}, mobile preset (the default: emulated Moto G Power, simulated slow 4G and 4× CPU slowdown), ` +
      `${chromeVersion.trim()} headless, each site served on loopback by tests/browser/lib/server.mjs (uncompressed) on a port picked at run time; ${date}. ` +
      `Run by hand: \`bash bench/lighthouse/run\`. Each page is audited ${RUNS} times${JOBS > 1 ? ` (${JOBS} pages at once, LIGHTHOUSE_JOBS=${JOBS})` : ''}; the table gives the median of each category and the runs' Performance scores. ` +
      'Full reports: bench/out/lighthouse/ (not committed).',
    '',
    `Machine load: ${load0} when the run started, ${load1} when it ended; the 1-minute load average ranged ` +
      `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (median ${med(loads).toFixed(1)}) over the audits: the machine was busy (the steps run before it, or other work on the same 2 cores), ` +
      'so Performance (simulated throttling, but measured on a busy CPU) is lower and noisier than on a quiet machine; the other three categories do not depend on the load.',
    '',
    'The "what changed" page needs a document with two versions: it is audited on the site built from content/ with the library\'s test fixtures ' +
      '(generator/tests/fixtures/library/, built for 2026-08-01); every other page on the real site. A task is a fragment of the plan page.',
    '',
    '| page | what | ' + CATEGORIES.map((c) => c[1]).join(' | ') + ' | Performance, each run |',
    '|---|---|' + CATEGORIES.map(() => '---:').join('|') + '|---|',
    ...done.map((r) => `| \`${r.p}\` | ${r.what} | ${r.scores.join(' | ')} | ${r.runs.map((x) => x[0]).join(', ')} |`),
    '',
    done.length < pageTypes().length ? `Audited: ${done.length} of the ${pageTypes().length} pages (the run was cut or is still going).\n` : '',
    notes.filter(Boolean).length ? '## Audits below full score in any run\n\n' + notes.filter(Boolean).join('\n') : 'Every weighted audit passes.',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(HERE, RESULTS), md);
}
