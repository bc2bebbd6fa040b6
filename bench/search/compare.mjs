// Ours against Pagefind, in headless Chromium, over the query fixture (tests/search/queries.yaml,
// the queries without filters): result quality (hits@5, MRR), the bytes a browser downloads
// before the first results are ready, and query latency (cold: a fresh browser per query,
// everything fetched; warm: the same query again in the same page).
//   node bench/search/compare.mjs <root>   where <root>/ours is the built dist/ and <root>/pf
//   the Pagefind site (bench/search/run.sh lays them out). Writes <root>/../compare.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../tests/browser/lib/server.mjs';
import { launch } from '../../tests/browser/lib/browser.mjs';
import { shipped } from './shipped.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const root = path.resolve(process.argv[2]);
const FIRST = 5; // results made ready for display (title, link, text) before "first result"

function loadQueries() {
  // A small reader for the fixture's one-line flow mappings, to need no YAML package here.
  // The queries before the first filtered one are the fixture of the measurements before
  // issue 11 (64 unfiltered queries): `earlier`, summarised on their own too.
  const out = [];
  let earlier = true;
  for (const line of fs.readFileSync(path.join(REPO, 'tests/search/queries.yaml'), 'utf8').split('\n')) {
    const m = /^- \{q: ("[^"]*"|[^,]*), lang: (zh|en), (?:(doc|action|unit): [^,]+, )?expect: \[([^\]]*)\]/.exec(line);
    if (!m) continue;
    if (m[3]) earlier = false;
    out.push({ q: m[1].replace(/^"|"$/g, ''), lang: m[2], filtered: !!m[3], earlier, expect: m[4].split(',').map((s) => s.trim()) });
  }
  return out;
}

for (const lang of ['zh', 'en']) {
  fs.writeFileSync(
    path.join(root, `bench-${lang}.html`),
    `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>\n`,
  );
}

// Ours as the search page runs it: the shipped (minified, hashed) client and the index folder
// the page names.
const site = shipped(path.join(root, 'ours'));
// SEARCH_BENCH_BEFORE=<name>=<an earlier search.js>[,…] adds those clients ('ours <name>')
// against the same index, run interleaved with ours, query by query: a fair comparison of
// latencies on a loaded machine. A client from before the synonym groups (issue 11), which
// reads meta.json's `syn` as [word, [what to look for…]] pairs, is given them so.
const BEFORE = (process.env.SEARCH_BENCH_BEFORE || '').split(',').filter(Boolean).map((x) => x.split('='));
for (const [name, file] of BEFORE) fs.copyFileSync(file, path.join(root, `before-${name}.js`));
const oursIn = async ({ q, lang, n, site, client, pairs }) => {
    const t0 = performance.now();
    if (!window.SiteSearch) {
      await new Promise((res, rej) => {
        const s = document.createElement('script');
        s.src = client;
        s.onload = res;
        s.onerror = rej;
        document.head.appendChild(s);
      });
      const get = (u) => fetch(u).then((r) => r.text()).then((t) => {
        if (!pairs || !u.endsWith('meta.json')) return t;
        const m = JSON.parse(t);
        m.syn = m.syn.flatMap((g) => g[0].map((w) => [w, g[1]]));
        return JSON.stringify(m);
      });
      window.__e = new window.SiteSearch.Engine('/ours/' + site.index, get);
    }
    const e = window.__e;
    const found = await e.search(q, {});
    const docs = await e.docs(found.hits.slice(0, n).map((h) => h.doc), lang);
    docs.forEach((d) => window.SiteSearch.snippet(d.text, found, 90));
    return { ids: docs.map((d) => d.id), ms: performance.now() - t0 };
};
// Each engine runs in the page (Playwright sends the function's text): [function, its arguments].
const engines = {
  ours: [oursIn, { client: '/ours/' + site.client }],
  ...Object.fromEntries(BEFORE.map(([name, file]) => [`ours ${name}`, [oursIn, {
    client: `/before-${name}.js`, pairs: !/g\[0\]\.forEach/.test(fs.readFileSync(file, 'utf8')),
  }]])),
  pagefind: [async ({ q, n }) => {
    const t0 = performance.now();
    const pf = await import('/pf/pagefind/pagefind.js');
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, n).map((x) => x.data()));
    const ids = data.map((d) => (/\/(?:zh|en)\/([^/]+)\/?$/.exec(d.url) || [])[1] || d.url);
    return { ids, ms: performance.now() - t0 };
  }, {}],
};

// SEARCH_BENCH_ENGINES=ours runs ours alone: to compare two builds of ours back to back.
const only = process.env.SEARCH_BENCH_ENGINES?.split(',');
for (const name of Object.keys(engines)) if (only && !only.includes(name)) delete engines[name];
const queries = loadQueries().filter((q) => !q.filtered);
const server = await serve(root);
const browser = await launch();
const results = {};
for (const name of Object.keys(engines)) results[name] = [];
// Query by query, each engine in turn: a change in the machine's load falls on all of them.
for (const q of queries) {
  for (const [name, [fn, extra]] of Object.entries(engines)) {
    const rows = results[name];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench-${q.lang}.html`);
    let bytes = 0;
    const files = [];
    page.on('requestfinished', async (req) => {
      files.push(req.url().replace(server.url, ''));
      const s = await req.sizes().catch(() => null);
      if (s) bytes += s.responseBodySize;
    });
    const args = { q: q.q, lang: q.lang, n: FIRST, site, ...extra };
    const cold = await page.evaluate(fn, args);
    await page.waitForTimeout(50);
    const warm = [];
    for (let i = 0; i < 3; i++) warm.push((await page.evaluate(fn, args)).ms);
    warm.sort((a, b) => a - b);
    const top = cold.ids.slice(0, 5);
    const ranks = q.expect.map((e) => top.indexOf(e) + 1);
    const first = cold.ids.findIndex((id) => q.expect.includes(id));
    rows.push({
      q: q.q, lang: q.lang, earlier: q.earlier, expect: q.expect, top,
      found: ranks.filter((r) => r > 0).length, rr: first >= 0 ? 1 / (first + 1) : 0,
      bytes, files: files.length, cold: cold.ms, warm: warm[1],
    });
    await context.close();
  }
}
await browser.close();
await server.close();

const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]; };
const summary = {};
const summaries = [];
for (const [name, all] of Object.entries(results)) {
  summaries.push([name, all], [`${name} (64 earlier queries)`, all.filter((r) => r.earlier)]);
}
for (const [name, rows] of summaries) {
  const expected = rows.reduce((a, r) => a + r.expect.length, 0);
  const found = rows.reduce((a, r) => a + r.found, 0);
  summary[name] = {
    queries: rows.length,
    all_found: rows.filter((r) => r.found === r.expect.length).length,
    zero_results: rows.filter((r) => r.top.length === 0).length,
    hits_at_5: `${found}/${expected}`,
    hits_at_5_pct: +(100 * found / expected).toFixed(1),
    mrr: +(rows.reduce((a, r) => a + r.rr, 0) / rows.length).toFixed(3),
    bytes_median: med(rows.map((r) => r.bytes)),
    bytes_max: Math.max(...rows.map((r) => r.bytes)),
    requests_median: med(rows.map((r) => r.files)),
    cold_ms_median: +med(rows.map((r) => r.cold)).toFixed(1),
    cold_ms_p95: +p95(rows.map((r) => r.cold)).toFixed(1),
    warm_ms_median: +med(rows.map((r) => r.warm)).toFixed(2),
    warm_ms_p95: +p95(rows.map((r) => r.warm)).toFixed(2),
  };
}
fs.writeFileSync(path.join(root, '..', 'compare.json'), JSON.stringify({ summary, results }, null, 1));
console.log(JSON.stringify(summary, null, 1));
for (const r of results.pagefind ?? []) {
  const o = results.ours.find((x) => x.q === r.q && x.lang === r.lang);
  if (r.found < r.expect.length || o.found < o.expect.length) {
    console.log(`${r.q} (${r.lang}): ours ${o.found}/${o.expect.length} [${o.top.join(' ')}]  pagefind ${r.found}/${r.expect.length} [${r.top.join(' ')}]`);
  }
}
