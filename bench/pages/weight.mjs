// Page weight, first visit: every page type in both languages loaded in headless Chromium (a
// fresh browser context each, so nothing is cached), every response the browser receives
// recorded, its body compressed with gzip (level 9) and brotli (quality 11) as a host serving
// precompressed static files would, and summed by kind: HTML, CSS, JS, WASM, data (JSON, the
// search index, text files), other (the favicon, images, fonts).
//   node bench/pages/weight.mjs            (bench/pages/run builds the sites first)
// Writes bench/out/pages/weight.json and bench/pages/RESULTS.md.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve } from '../../tests/browser/lib/server.mjs';
import { launch } from '../../tests/browser/lib/browser.mjs';
import { REPO, buildSites, pageTypes, machineLoad, generator } from './sites.mjs';

const OUT = path.join(REPO, 'bench/out/pages');
const KINDS = ['html', 'css', 'js', 'wasm', 'data', 'other'];
// The targets of issue 12: a reading page at most 30 KB gzip in all, the calculator 150 KB.
const TARGET = { reading: 30 * 1024, calculator: 150 * 1024 };

function kindOf(url, contentType) {
  const ext = path.extname(new URL(url).pathname).toLowerCase();
  if (/html/.test(contentType) || ext === '.html' || new URL(url).pathname.endsWith('/')) return 'html';
  if (/css/.test(contentType)) return 'css';
  if (/^image\/|^font\//.test(contentType)) return 'other';
  if (/javascript/.test(contentType)) return 'js';
  if (/wasm/.test(contentType)) return 'wasm';
  if (/json|text\/plain|xml/.test(contentType)) return 'data';
  return 'other';
}

const sizes = (body) => ({
  raw: body.length,
  gzip: zlib.gzipSync(body, { level: 9 }).length,
  br: zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }).length,
});

const load0 = await machineLoad();
const skipBuild = process.argv.includes('--no-build');
const bin = skipBuild ? null : generator();
const dists = skipBuild
  ? { real: path.join(OUT, 'real/dist'), library: path.join(OUT, 'library/dist') }
  : buildSites(OUT, { bin });
const servers = {};
for (const [name, dist] of Object.entries(dists)) servers[name] = await serve(dist);
const browser = await launch();
const rows = [];
try {
  for (const [site, p, type] of pageTypes()) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pending = [];
    page.on('response', (res) => {
      pending.push(
        (async () => {
          const url = res.url();
          if (url.startsWith('data:')) return null;
          const body = await res.body().catch(() => null);
          if (!body) return null;
          const ct = res.headers()['content-type'] || '';
          return { url: url.replace(servers[site].url, ''), status: res.status(), kind: kindOf(url, ct), ...sizes(body) };
        })(),
      );
    });
    await page.goto(servers[site].url + p, { waitUntil: 'networkidle', timeout: 180_000 });
    // Anything a script starts after the network went quiet (the calculator's WASM, a status
    // check) is part of the first visit too.
    await page.waitForTimeout(500);
    await page.waitForLoadState('networkidle', { timeout: 180_000 });
    const files = (await Promise.all(pending)).filter(Boolean);
    await context.close();
    const byKind = Object.fromEntries(KINDS.map((k) => [k, { raw: 0, gzip: 0, br: 0 }]));
    for (const f of files) for (const m of ['raw', 'gzip', 'br']) byKind[f.kind][m] += f[m];
    const total = { raw: 0, gzip: 0, br: 0 };
    for (const k of KINDS) for (const m of ['raw', 'gzip', 'br']) total[m] += byKind[k][m];
    const limit = type === 'calculator' ? TARGET.calculator : TARGET.reading;
    rows.push({ site, path: p, type, files, byKind, total, limit, ok: total.gzip <= limit });
    console.error(`${p}: ${files.length} files, ${(total.gzip / 1024).toFixed(1)} KB gzip`);
  }
} finally {
  await browser.close();
  for (const s of Object.values(servers)) await s.close();
}
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'weight.json'), JSON.stringify(rows, null, 1));

const kb = (b) => (b / 1024).toFixed(1);
const load1 = await machineLoad();
const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const genNote = process.env.GENERATOR
  ? `the generator \`${process.env.GENERATOR}\` ($GENERATOR)`
  : 'a release build of this checkout';
const reading = rows.filter((r) => r.type !== 'calculator');
const worst = reading.reduce((a, r) => (r.total.gzip > a.total.gzip ? r : a));
const calc = rows.filter((r) => r.type === 'calculator');
const md = [
  '# Page weight, first visit',
  '',
  `Measured ${date} with \`bash bench/pages/run\` (sites built by ${genNote}; ` +
    `${load0} at the start, ${load1} at the end: bytes do not depend on the load).`,
  '',
  'Each page is loaded in headless Chromium (Debian\'s, driven by playwright-core) in a fresh context, ' +
    'so nothing is cached, from a loopback static server (tests/browser/lib/server.mjs, which serves files uncompressed); ' +
    'every response the browser receives until the network is quiet is recorded, and its body is compressed here with ' +
    'gzip (level 9) and brotli (quality 11), as a host serving precompressed files would. KB are 1,024 bytes. ' +
    'Data is JSON, the search index and text files; other is the favicon. ' +
    'The "what changed" page needs a document with two versions: it is measured on the site built from content/ with the ' +
    "library's test fixtures laid over it (generator/tests/fixtures/library/, built for 2026-08-01); every other page on the real site.",
  '',
  `Targets (issue 12): every reading page at most 30 KB gzip in all; the calculator page at most 150 KB gzip in all. ` +
    `Heaviest reading page: \`${worst.path}\` (${worst.type}), ${kb(worst.total.gzip)} KB gzip; ` +
    `calculator: ${calc.map((r) => `\`${r.path}\` ${kb(r.total.gzip)} KB`).join(', ')} gzip. ` +
    (rows.every((r) => r.ok) ? '**Every page meets its target.**' : `**Over target: ${rows.filter((r) => !r.ok).map((r) => '`' + r.path + '`').join(', ')}.**`),
  '',
  '## In all (KB: raw / gzip / brotli)',
  '',
  '| page | type | requests | raw | gzip | brotli | target (gzip) |',
  '|---|---|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| \`${r.path}\` | ${r.type} | ${r.files.length} | ${kb(r.total.raw)} | **${kb(r.total.gzip)}** | ${kb(r.total.br)} | ` +
      `${r.ok ? '✓' : '✗'} ≤ ${r.limit / 1024} KB |`,
  ),
  '',
  '## By kind (KB gzip; raw and brotli in bench/out/pages/weight.json)',
  '',
  '| page | ' + KINDS.join(' | ') + ' |',
  '|---|' + KINDS.map(() => '---:').join('|') + '|',
  ...rows.map((r) => `| \`${r.path}\` | ${KINDS.map((k) => (r.byKind[k].raw ? kb(r.byKind[k].gzip) : '–')).join(' | ')} |`),
  '',
  '## By kind, brotli (KB)',
  '',
  '| page | ' + KINDS.join(' | ') + ' |',
  '|---|' + KINDS.map(() => '---:').join('|') + '|',
  ...rows.map((r) => `| \`${r.path}\` | ${KINDS.map((k) => (r.byKind[k].raw ? kb(r.byKind[k].br) : '–')).join(' | ')} |`),
  '',
  '## The files of the heaviest pages',
  '',
  ...[worst, ...calc.slice(0, 1)].flatMap((r) => [
    `\`${r.path}\` (${r.type}):`,
    '',
    '| file | kind | raw | gzip | brotli |',
    '|---|---|---:|---:|---:|',
    ...r.files.map((f) => `| \`${f.url}\` | ${f.kind} | ${f.raw.toLocaleString('en')} B | ${f.gzip.toLocaleString('en')} B | ${f.br.toLocaleString('en')} B |`),
    '',
  ]),
].join('\n');
const notes = path.join(REPO, 'bench/pages/NOTES.md');
fs.writeFileSync(
  path.join(REPO, 'bench/pages/RESULTS.md'),
  md + (fs.existsSync(notes) ? '\n' + fs.readFileSync(notes, 'utf8') : ''),
);
console.error('wrote bench/pages/RESULTS.md');
