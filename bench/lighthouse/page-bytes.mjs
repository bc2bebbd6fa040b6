// What the calculator page weighs, all in: the HTML (with its data block), each stylesheet,
// script, module and the WASM it loads, each file compressed with gzip -9 (and brotli -q 11,
// for reference), as a phone downloads them from a host that compresses.
//
//   node bench/lighthouse/page-bytes.mjs [SITE_DIR]     (default: dist/)
//
// The files are those the page names (`<link rel=stylesheet|modulepreload|preload>`,
// `<script src>`) plus what the calculator's loader imports; the favicon is left out. The budget
// (issue 9) is 150 KB gzip per page, printed as bytes, KB (1000) and KiB (1024).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(process.argv[2] ?? path.join(HERE, '../../dist'));
// GNU gzip -9, as calculator-results.md measures (zlib's level 9 differs by a few per cent).
const gz = (b) => execFileSync('gzip', ['-9c'], { input: b, maxBuffer: 64 << 20 }).length;
const br = (b) =>
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

for (const lang of ['zh', 'en']) {
  const page = `${lang}/calculator/index.html`;
  const html = fs.readFileSync(path.join(ROOT, page));
  const text = html.toString();
  const refs = new Set();
  for (const m of text.matchAll(/<link\b[^>]*>/g)) {
    const rel = m[0].match(/rel="([^"]+)"/)?.[1];
    const href = m[0].match(/href="([^"]+)"/)?.[1];
    if (href && ['stylesheet', 'modulepreload', 'preload'].includes(rel)) refs.add(href);
  }
  for (const m of text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1]);
  const files = [...refs].map((r) => path.normalize(path.join(path.dirname(page), r)));
  // The loader's imports (the glue) and the WASM it fetches.
  for (const f of [...files]) {
    if (!f.endsWith('.js')) continue;
    const js = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const m of js.matchAll(/(?:import\s[^'"]*|new URL\()\s*'(\.\/?[^']+)'/g)) {
      const dep = path.normalize(path.join(path.dirname(f), m[1]));
      if (!files.includes(dep) && fs.existsSync(path.join(ROOT, dep))) files.push(dep);
    }
  }
  const data = text.match(/<script type="application\/json" id="calculator-data">([\s\S]*?)<\/script>/)?.[1] ?? '';
  const rows = [[page, html], ...files.map((f) => [f, fs.readFileSync(path.join(ROOT, f))])];
  let tg = 0, tb = 0;
  console.log(`/${lang}/calculator/`);
  for (const [name, bytes] of rows) {
    const g = gz(bytes), b = br(bytes);
    tg += g; tb += b;
    console.log(`  ${name.padEnd(42)} ${String(bytes.length).padStart(8)} B  gzip ${String(g).padStart(7)}  br ${String(b).padStart(7)}`);
  }
  console.log(`  ${'(of the HTML: the data block)'.padEnd(42)} ${String(Buffer.byteLength(data)).padStart(8)} B  gzip ${String(gz(Buffer.from(data))).padStart(7)}`);
  console.log(`  total gzip ${tg} B = ${(tg / 1000).toFixed(1)} KB = ${(tg / 1024).toFixed(1)} KiB; brotli ${tb} B = ${(tb / 1000).toFixed(1)} KB`);
}
