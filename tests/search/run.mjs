// Runs queries through the shipped search client (themes/default/static/search.js) against a
// built index, the way a browser would, with files read from disk instead of fetched.
//   node tests/search/run.mjs <dist> <search.js>   (queries as JSON on stdin:
//   [{q, lang, doc?, action?, unit?, today?, versions?}]) -> JSON on stdout: [{q, ids: [top 10 ids], hits, bytes}]
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const [dist, script] = process.argv.slice(2);
const sandbox = { module: { exports: {} }, TextEncoder, console };
vm.runInNewContext(fs.readFileSync(script, 'utf8'), sandbox, { filename: script });
const { Engine } = sandbox.module.exports;

// A full build moves the index into a folder named by its hash (generator/src/fingerprint.rs:
// search/3f9a0c12de/meta.json); an index written on its own keeps search/meta.json.
const hashed = fs.readdirSync(path.join(dist, 'search')).find((f) => /^[0-9a-f]{10}$/.test(f));
const base = hashed ? `search/${hashed}/` : 'search/';

const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = [];
for (const q of queries) {
  // A fresh engine per query: nothing cached, as for a reader who arrives on a ?q= link.
  let bytes = 0;
  const files = [];
  const engine = new Engine(base, (url) => {
    const text = fs.readFileSync(path.join(dist, url), 'utf8');
    bytes += Buffer.byteLength(text);
    files.push(url);
    return Promise.resolve(text);
  });
  const found = await engine.search(q.q, { doc: q.doc, action: q.action, unit: q.unit, today: q.today, versions: q.versions });
  const top = found.hits.slice(0, 10);
  const docs = await engine.docs(top.map((h) => h.doc), q.lang || 'zh');
  out.push({
    q: q.q,
    ids: docs.map((d) => d.id),
    // 'superseded' / 'pending' for a result of a version not in force on q.today (library).
    standing: docs.map((d) => engine.standing(d.n, q.today)),
    coverage: top.map((h) => Math.round(h.coverage * 100) / 100),
    hits: found.hits.length,
    bytes,
    files: files.length,
  });
}
process.stdout.write(JSON.stringify(out, null, 1));
