// The baseline: plain substring search (the whole query, case-insensitive, in a document's
// crumb, title or text in the page's language), in document order, over the fixture's
// unfiltered queries.   node bench/search/substring.mjs <dist>
import fs from 'node:fs';
import path from 'node:path';
import { indexDir } from './shipped.mjs';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.argv[2];
const docs = {};
for (const lang of ['zh', 'en']) {
  const dir = path.join(indexDir(dist), lang);
  docs[lang] = fs.readdirSync(dir).sort((a, b) => parseInt(a) - parseInt(b))
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}
let n = 0, zero = 0, found = 0, expected = 0, all = 0, rr = 0;
for (const line of fs.readFileSync(path.join(REPO, 'tests/search/queries.yaml'), 'utf8').split('\n')) {
  const m = /^- \{q: ("[^"]*"|[^,]*), lang: (zh|en), (?:(doc|action|unit): [^,]+, )?expect: \[([^\]]*)\]/.exec(line);
  if (!m || m[3]) continue;
  const q = m[1].replace(/^"|"$/g, '').toLowerCase();
  const expect = m[4].split(',').map((s) => s.trim());
  const ids = docs[m[2]].filter((d) => (d[2] + ' ' + d[3] + ' ' + d[4]).toLowerCase().includes(q)).map((d) => d[0]);
  n++;
  if (!ids.length) zero++;
  const top = ids.slice(0, 5);
  const f = expect.filter((e) => top.includes(e)).length;
  found += f; expected += expect.length; if (f === expect.length) all++;
  const first = ids.slice(0, 10).findIndex((id) => expect.includes(id));
  rr += first >= 0 ? 1 / (first + 1) : 0;
}
console.log(JSON.stringify({ queries: n, all_found: all, zero_results: zero, hits_at_5: `${found}/${expected}`, hits_at_5_pct: +(100 * found / expected).toFixed(1), mrr: +(rr / n).toFixed(3) }));
