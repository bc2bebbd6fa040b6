// Bytes before the first result as the library grows: the site's documents alone, then
// synthetic libraries of 1,000 and 5,000 documents (bench/search/library.mjs), each indexed by
// the site's own index stage and queried with the fixture through the shipped client.
//   node bench/search/scale.mjs <dist> <outdir>
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { shipped } from './shipped.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [dist, outArg] = process.argv.slice(2);
const out = path.resolve(outArg);
fs.mkdirSync(out, { recursive: true });
// The client as the site ships it (minified), from the built site.
const client = path.join(dist, shipped(dist).client);
const clientBytes = fs.statSync(client).size;
// Kept beside the indexes, for scale-pagefind.mjs to serve the same client in the browser.
fs.copyFileSync(client, path.join(out, 'search.min.js'));
// The index stage in release mode, unless SEARCH_BENCH_DEBUG is set (a machine where a release
// build is too slow to make: the bytes are the same, only the indexing takes longer).
const PROFILE = process.env.SEARCH_BENCH_DEBUG ? [] : ['--release'];

const queries = [];
for (const line of fs.readFileSync(path.join(REPO, 'tests/search/queries.yaml'), 'utf8').split('\n')) {
  const m = /^- \{q: ("[^"]*"|[^,]*), lang: (zh|en), (doc|action|unit)?/.exec(line);
  if (m && !m[3]) queries.push({ q: m[1].replace(/^"|"$/g, ''), lang: m[2] });
}
const dirBytes = (d) => fs.readdirSync(d, { withFileTypes: true })
  .reduce((a, e) => a + (e.isDirectory() ? dirBytes(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const rows = [];
for (const n of [0, 1000, 5000]) {
  const lib = path.join(out, `library-${n || 'site'}.json`);
  const idx = path.join(out, `index-${n || 'site'}`);
  execFileSync('node', [path.join(REPO, 'bench/search/library.mjs'), dist, String(n), lib], { stdio: 'inherit' });
  execFileSync('cargo', ['test', '-q', ...PROFILE, '-p', 'generator', '--test', 'search', '--', '--ignored', 'index_a_library'], {
    cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SEARCH_LIBRARY: lib, SEARCH_LIBRARY_OUT: idx },
  });
  const docs = JSON.parse(fs.readFileSync(lib, 'utf8'));
  const textBytes = docs.reduce((a, d) => a + Buffer.byteLength(d.title.zh + d.title.en + d.text.zh + d.text.en + d.crumb.zh + d.crumb.en), 0);
  const res = JSON.parse(execFileSync('node', [path.join(REPO, 'tests/search/run.mjs'), idx, client], {
    input: JSON.stringify(queries), maxBuffer: 1 << 26,
  }).toString());
  const bytes = res.map((r) => r.bytes + clientBytes);
  const meta = JSON.parse(fs.readFileSync(path.join(idx, 'search/meta.json'), 'utf8'));
  rows.push({
    documents: docs.length,
    library_text_bytes: textBytes,
    index_bytes: dirBytes(path.join(idx, 'search')),
    shards: meta.shards,
    first_result_bytes_median: med(bytes),
    first_result_bytes_max: Math.max(...bytes),
    requests_median: med(res.map((r) => r.files + 1)),
  });
}
fs.writeFileSync(path.join(out, 'scale.json'), JSON.stringify(rows, null, 1));
console.log('| documents | library text | whole index | shards | before first result (median / max) | requests |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const kb = (b) => (b / 1024).toFixed(1) + ' KB';
  console.log(`| ${r.documents} | ${kb(r.library_text_bytes)} | ${kb(r.index_bytes)} | ${r.shards} | ${kb(r.first_result_bytes_median)} / ${kb(r.first_result_bytes_max)} | ${r.requests_median} |`);
}
