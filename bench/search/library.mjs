// A synthetic library of N documents for the scaling measurement: the site's own search
// documents, then made-up policy clauses recombined from their sentences, with new place names,
// product words, sums and years, so that the vocabulary keeps growing as a real library's does.
//   node bench/search/library.mjs <dist> <N> <out.json>
// Writes [{id, url, crumb: {zh, en}, title: {zh, en}, text: {zh, en}}]; the ignored test
// `index_a_library` of generator/tests/search.rs indexes it with the site's own index stage.
import fs from 'node:fs';
import path from 'node:path';
import { indexDir } from './shipped.mjs';

const [dist, nArg, out] = process.argv.slice(2);
const N = Number(nArg);
const real = { zh: [], en: [] };
for (const lang of ['zh', 'en']) {
  const dir = path.join(indexDir(dist), lang);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => parseInt(a) - parseInt(b));
  for (const f of files) real[lang].push(...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}
const docs = real.zh.map((r, i) => ({
  id: r[0], url: r[1],
  crumb: { zh: r[2], en: real.en[i][2] }, title: { zh: r[3], en: real.en[i][3] }, text: { zh: r[4], en: real.en[i][4] },
}));

// A fixed pseudo-random sequence, so the library is the same on every run.
let seed = 42;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const pick = (xs) => xs[rnd(xs.length)];
const zhSentences = docs.flatMap((d) => d.text.zh.split(/(?<=[。；])/)).filter((s) => s.length > 8);
const enSentences = docs.flatMap((d) => d.text.en.split(/(?<=[.;]) /)).filter((s) => s.length > 20);
const zhChars = Array.from(new Set(Array.from(docs.map((d) => d.text.zh).join('')).filter((c) => /[\u4e00-\u9fff]/.test(c))));
const syll = ['ka', 'lo', 'mi', 'ren', 'shu', 'ta', 'wen', 'xi', 'yu', 'zhe', 'bo', 'qin', 'lan', 'fei', 'gu'];
const newWord = () => Array.from({ length: 3 }, () => pick(zhChars)).join('');
const newName = () => pick(syll) + pick(syll) + pick(syll);
const places = Array.from({ length: 60 }, () => [newWord() + '区', newName() + ' District']);
const products = Array.from({ length: 400 }, () => [newWord(), newName()]);

for (let i = docs.length; i < N; i++) {
  const [pz, pe] = pick(places);
  const [wz, we] = pick(products);
  const sum = (1 + rnd(300)) * 10000;
  const year = 2025 + rnd(8);
  const k = 1 + rnd(3);
  const zh = [], en = [];
  for (let j = 0; j < k; j++) { zh.push(pick(zhSentences)); en.push(pick(enSentences)); }
  zh.push(`${pz}对${wz}产业给予最高不超过${sum / 10000}万元的资金支持，${year}年起施行。`);
  en.push(`${pe} shall support the ${we} industry with up to RMB ${sum.toLocaleString('en')}, from ${year}.`);
  docs.push({
    id: `syn-${i}`,
    url: `library/${Math.floor(i / 50)}/#syn-${i}`,
    crumb: { zh: `政策库 › ${pz}`, en: `Library › ${pe}` },
    title: { zh: `${pz}${wz}产业扶持（第${i}号）`, en: `${pe}: support for the ${we} industry (No. ${i})` },
    text: { zh: zh.join(''), en: en.join(' ') },
  });
}
fs.writeFileSync(out, JSON.stringify(docs));
console.log(`library: ${docs.length} documents (${docs.length - real.zh.length} synthetic) in ${out}`);
