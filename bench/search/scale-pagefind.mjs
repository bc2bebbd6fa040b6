// Search at scale, ours against Pagefind on the same synthetic libraries: for each size, the
// library scale.mjs made (library-<n>.json, bench/search/library.mjs: the site's documents and
// made-up clauses recombined from their sentences) is indexed by both engines and the fixture's
// unfiltered queries run through compare.mjs in headless Chromium (bytes before the first
// result, requests, cold and warm latency, hits@5 of the site's expected documents, which every
// library contains).
//   node bench/search/scale-pagefind.mjs <scale-dir> <pagefind_extended> [sizes=1000,5000]
// <scale-dir> is scale.mjs's output (library-<n>.json and index-<n>/ for each size). Writes
// <scale-dir>/pf-<n>/ (the two sites side by side and compare.json), <scale-dir>/pagefind.json
// and bench/search/SCALE.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [scaleArg, pfArg, sizesArg] = process.argv.slice(2);
const scale = path.resolve(scaleArg);
const PF = path.resolve(pfArg);
const SIZES = (sizesArg ?? '1000,5000').split(',').map(Number);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const loadAvg = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');
const load0 = loadAvg();

// `--report` rewrites SCALE.md from <scale-dir>/pagefind.json without measuring again.
const REPORT_ONLY = process.argv.includes('--report');
const rows = REPORT_ONLY ? JSON.parse(fs.readFileSync(path.join(scale, 'pagefind.json'), 'utf8')) : [];
if (!REPORT_ONLY) rows.push(...(await measure()).rows);
if (!REPORT_ONLY) {
  for (const r of rows) r.load = { start: load0, end: loadAvg(), date: new Date().toISOString() };
  fs.writeFileSync(path.join(scale, 'pagefind.json'), JSON.stringify(rows, null, 1));
}
async function measure() {
const rows = [];
for (const n of SIZES) {
  const lib = JSON.parse(fs.readFileSync(path.join(scale, `library-${n}.json`), 'utf8'));
  const dir = path.join(scale, `pf-${n}`);
  const root = path.join(dir, 'root');
  fs.rmSync(dir, { recursive: true, force: true });
  // Ours: the index scale.mjs built with the site's index stage, and the shipped client.
  fs.mkdirSync(path.join(root, 'ours/static'), { recursive: true });
  fs.cpSync(path.join(scale, `index-${n}`, 'search'), path.join(root, 'ours/search'), { recursive: true });
  // The client as the site ships it (minified; scale.mjs keeps it beside the indexes), and a
  // search page naming it and the index, as compare.mjs reads a built site (shipped.mjs).
  fs.copyFileSync(path.join(scale, 'search.min.js'), path.join(root, 'ours/static/search.js'));
  fs.mkdirSync(path.join(root, 'ours/zh/search'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'ours/zh/search/index.html'),
    '<!doctype html><div id="search-app" data-meta="../../search/meta.json"></div><script src="../../static/search.js"></script>\n',
  );
  // Pagefind: one page per document and language (crumb, title, text), as pagefind-site.mjs
  // writes the real site's documents.
  for (const d of lib) {
    for (const lang of ['zh', 'en']) {
      const file = path.join(root, 'pf', lang, d.id, 'index.html');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(d.title[lang])}</title></head>` +
          `<body><main data-pagefind-body><p>${esc(d.crumb[lang])}</p><h1>${esc(d.title[lang])}</h1><p>${esc(d.text[lang])}</p></main></body></html>\n`,
      );
    }
  }
  const t0 = Date.now();
  execFileSync(PF, ['--site', path.join(root, 'pf'), '--quiet'], { stdio: 'inherit' });
  const pfSeconds = (Date.now() - t0) / 1000;
  const dirBytes = (d) => fs.readdirSync(d, { withFileTypes: true })
    .reduce((a, e) => a + (e.isDirectory() ? dirBytes(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0);
  console.error(`pagefind: ${lib.length} documents × 2 languages indexed in ${pfSeconds.toFixed(1)} s`);
  execFileSync('node', [path.join(REPO, 'bench/search/compare.mjs'), root], { stdio: ['ignore', 'ignore', 'inherit'] });
  const { summary } = JSON.parse(fs.readFileSync(path.join(dir, 'compare.json'), 'utf8'));
  const files = (d) => fs.readdirSync(d, { withFileTypes: true })
    .reduce((a, e) => a + (e.isDirectory() ? files(path.join(d, e.name)) : 1), 0);
  rows.push({
    documents: lib.length,
    index_files: { ours: files(path.join(root, 'ours/search')), pagefind: files(path.join(root, 'pf/pagefind')) },
    index_bytes: { ours: dirBytes(path.join(root, 'ours/search')), pagefind: dirBytes(path.join(root, 'pf/pagefind')) },
    pagefind_index_seconds: pfSeconds,
    summary,
  });
}
return { rows };
}

const kb = (b) => (b / 1024).toFixed(1) + ' KB';
const date = (rows[0].load?.date ?? new Date().toISOString()).replace('T', ' ').slice(0, 16) + ' UTC';
const pfVersion = execFileSync(PF, ['--version']).toString().trim();
const line = (label, f) => `| ${label} | ${rows.map((r) => `${f(r.summary.ours, r, 'ours')} | ${f(r.summary.pagefind, r, 'pagefind')}`).join(' | ')} |`;
const md = [
  '# Search at scale: ours and Pagefind on the same libraries',
  '',
  `Measured ${date} with \`bash bench/search/run.sh\` (the last two steps: \`scale.mjs\`, then \`scale-pagefind.mjs\`); ` +
    `${pfVersion} (\`pagefind_extended\`, the build with Chinese segmentation); headless Chromium; load average ${rows[0].load?.start ?? load0} at the start ` +
    `and ${rows[0].load?.end ?? loadAvg()} at the end (1 / 5 / 15 min) on ${os.cpus().length} cores: a load above the number of cores, from other work or the steps run before, makes latencies ` +
    'longer than on a quiet machine; bytes and quality do not depend on the load.',
  '',
  'The libraries are `bench/search/library.mjs`\'s (the synthetic generator of `bench/library/` was not on `main` when this was written): ' +
    "the site's own search documents, then made-up policy clauses recombined from their sentences with new place names, product words, sums " +
    'and years, in both languages. Ours is indexed by the site\'s own index stage (the ignored test `index_a_library`), Pagefind by ' +
    '`pagefind_extended` over one page per document and language (crumb, title, text), as the real-site comparison in RESULTS.md does. ' +
    "The queries are the fixture's unfiltered ones (tests/search/queries.yaml), each in a fresh browser context (cold), run by " +
    '`compare.mjs` until the first 5 results are ready to show; warm is the same query again in the same page (median of 3). ' +
    'Bytes are every response body downloaded for that, served uncompressed: Pagefind\'s index and WASM are gzip inside, ours are plain ' +
    'text and JSON, so a host that compresses shrinks ours and not Pagefind\'s. KB are 1,024 bytes.',
  '',
  '| | ' + rows.map((r) => `ours, ${r.documents.toLocaleString('en')} docs | Pagefind, ${r.documents.toLocaleString('en')} docs`).join(' | ') + ' |',
  '|---|' + rows.map(() => '---:|---:').join('|') + '|',
  line('bytes before the first results, median', (s) => `**${kb(s.bytes_median)}**`),
  line('bytes before the first results, worst query', (s) => kb(s.bytes_max)),
  line('requests before the first results, median', (s) => s.requests_median),
  line('latency, cold (first query, fetches included), median / p95', (s) => `${s.cold_ms_median.toLocaleString('en')} / ${s.cold_ms_p95.toLocaleString('en')} ms`),
  line('latency, warm (the query again), median / p95', (s) => `${s.warm_ms_median} / ${s.warm_ms_p95} ms`),
  line("the site's expected documents in the top 5 (hits@5)", (s) => `${s.hits_at_5} (${s.hits_at_5_pct} %)`),
  line('queries with no result', (s) => s.zero_results),
  line('whole index on disk', (s, r, e) => kb(r.index_bytes[e])),
  line('files of the index', (s, r, e) => (r.index_files?.[e] ?? '–').toLocaleString('en')),
  '',
  'Target (issue 12): ours below Pagefind\'s bytes before the first result at every size (the page fetches the index\'s files by their names in one hashed folder: no manifest first): ' +
    rows.map((r) => `${r.documents.toLocaleString('en')} documents ${r.summary.ours.bytes_median < r.summary.pagefind.bytes_median ? 'holds' : '**missed**'} ` +
      `(${kb(r.summary.ours.bytes_median)} against ${kb(r.summary.pagefind.bytes_median)})`).join('; ') +
    '.',
  '',
].join('\n');
const notes = path.join(REPO, 'bench/search/SCALE-NOTES.md');
fs.writeFileSync(path.join(REPO, 'bench/search/SCALE.md'), md + (fs.existsSync(notes) ? '\n' + fs.readFileSync(notes, 'utf8') : ''));
console.error('wrote bench/search/SCALE.md');
