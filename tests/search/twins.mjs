// The text rules of the shipped search client (themes/default/static/search.js), applied to
// each input, so that generator/tests/search_twins.rs can compare them with their Rust twins
// (generator/src/search/text.rs).
//   node tests/search/twins.mjs <search.js>
// stdin, one JSON value a line: first the stop words (as meta.json ships them), then the
// traditional → simplified pairs (as t2s.txt ships them), then cases
// {s, shards, terms}; stdout: one JSON object a line per case, as soon as it is read, so the
// Rust side can ask again while it shrinks a failing string. The fields are named after the
// Rust functions.
import fs from 'node:fs';
import readline from 'node:readline';
import vm from 'node:vm';

const [script] = process.argv.slice(2);
// Loaded as run.mjs loads it: a browser script that exports its functions when `module` exists.
const sandbox = { module: { exports: {} }, TextEncoder };
vm.runInNewContext(fs.readFileSync(script, 'utf8'), sandbox, { filename: script });
const api = sandbox.module.exports;

// The query side as the page runs it, with the stop words meta.json would have given it.
const engine = new api.Engine('search/', () => Promise.reject(new Error('no fetch here')));

function outputs({ s, shards, terms }) {
  const norm = api.normalize(s);
  const runs = api.runs(norm);
  const phrase = engine.phraseTerms(s);
  return {
    normalize: norm,
    runs: runs.map((r) => [r.cjk, r.text]),
    word_stems: runs.filter((r) => !r.cjk).map((r) => api.stem(r.text)),
    stem: api.stem(s),
    query_atoms: engine.atoms(s).map((a) => [a.cjk, a.v, a.run]),
    query_parts: phrase.parts,
    query_bonus: phrase.bonus,
    fold: api.fold(s, t2s),
    fnv1a: api.fnv1a(s),
    shard: api.shardOf(s, shards),
    term_shards: terms.map((t) => api.shardOf(t, shards)),
  };
}

let t2s = null;
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!engine.stop) engine.stop = new Set(JSON.parse(line));
  else if (!t2s) {
    t2s = api.pairs(JSON.parse(line));
  } else process.stdout.write(JSON.stringify(outputs(JSON.parse(line))) + '\n');
}
