#!/usr/bin/env node
// The preview benchmark (issue 12, item 2): starts `generator serve` on a project root, makes a
// one-clause edit (a word added to the English of a clause), and times from the file write to
// the first byte of the first response of the page that shows the new word. Reports the median
// of the edits, and when the full rebuild behind it (search index, open data) finished.
//
//   node bench/preview/bench.mjs --bin GENERATOR --root DIR [--edits 5] [--doc ID] [--file REL]
//                                [--page URL-PATH]
//
// DIR is a project root (content/, themes/default/); its file is edited in place and restored
// at the end. The defaults edit the first task's English in plan.yaml (or the first clause of
// text.yaml) of the last document folder that has a version (the featured one only when no
// other has), and poll that version's English
// page (/en/documents/ID/DATE/plan/ or …/text/).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
const bin = args.bin;
const root = path.resolve(args.root ?? '.');
const edits = Number(args.edits ?? 5);
const content = path.join(root, 'content');

function versionOf(doc) {
  const vdir = path.join(content, 'documents', doc, 'versions');
  if (!fs.existsSync(vdir)) return null;
  const dates = fs.readdirSync(vdir).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  return dates.length ? dates[dates.length - 1] : null;
}
const docs = fs.readdirSync(path.join(content, 'documents')).sort();
// Not the featured document when another has a text: a save of the featured one rebuilds the
// whole site (its text is also the first pages, the units and the calculator).
const featured = /^featured:\s*(\S+)/m.exec(fs.readFileSync(path.join(content, 'library.yaml'), 'utf8'))?.[1];
const withText = [...docs].reverse().filter((d) => versionOf(d));
const doc = args.doc ?? withText.find((d) => d !== featured) ?? withText[0];
const date = versionOf(doc);
const vrel = `documents/${doc}/versions/${date}`;
const rel = args.file ?? (fs.existsSync(path.join(content, vrel, 'plan.yaml')) ? `${vrel}/plan.yaml` : `${vrel}/text.yaml`);
const file = path.join(content, rel);
const pagePath = args.page ?? `/en/documents/${doc}/${date}/${rel.endsWith('text.yaml') ? 'text' : 'plan'}/`;
const original = fs.readFileSync(file, 'utf8');

// The English of the first clause text: the `en:` line after a `text:` and its `zh:`.
const lines = original.split('\n');
const at = lines.findIndex((l, i) => i >= 2 && /^\s+en: ".*"\s*$/.test(l) && /^\s+text:\s*$/.test(lines[i - 2]));
if (at < 0) throw new Error(`${rel}: no clause text with a quoted en: line to edit`);
function edited(k) {
  // Letters only: a digit would be a figure the build checks against the Chinese.
  const marker = 'previewmark' + [...String(k)].map((c) => 'abcdefghij'[Number(c)]).join('');
  const copy = [...lines];
  copy[at] = copy[at].replace(/"\s*$/, ` ${marker}"`);
  return { marker, text: copy.join('\n') };
}

let stdout = '';
const server = spawn(bin, ['serve', '--port', '0'], {
  env: { ...process.env, GENERATOR_ROOT: root },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const seen = []; // [time, line]
function take(chunk) {
  const now = performance.now();
  stdout += chunk;
  for (const l of chunk.toString().split('\n')) if (l.trim()) seen.push([now, l]);
}
server.stdout.on('data', take);
server.stderr.on('data', take);
const restore = () => {
  fs.writeFileSync(file, original);
  server.kill();
};
process.on('SIGINT', () => { restore(); process.exit(130); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(pred, timeoutMs, what) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const hit = seen.find(pred);
    if (hit) return hit;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${stdout}`);
    if (server.exitCode !== null) throw new Error(`serve exited (${server.exitCode}); output:\n${stdout}`);
    await sleep(2);
  }
}
function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      const first = performance.now();
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ first, status: res.statusCode, body: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
  });
}

try {
  const serving = await waitFor(([, l]) => /^Serving .* at http:\/\//.test(l), 3_600_000, 'the first build');
  const base = /at (http:\/\/\S+?)\/? /.exec(serving[1])[1];
  const url = base + pagePath;
  const first = await get(url);
  if (first.status !== 200) throw new Error(`${url}: status ${first.status}`);
  const startup = serving[0];
  const results = [];
  for (let k = 1; k <= edits; k++) {
    const { marker, text } = edited(k);
    const before = seen.length;
    const t0 = performance.now();
    fs.writeFileSync(file, text);
    let served;
    for (;;) {
      const r = await get(url);
      if (r.body.includes(marker)) { served = r.first - t0; break; }
      if (performance.now() - t0 > 3_600_000) throw new Error('the edit was never served');
    }
    const rebuilt = await waitFor(
      ([t, l], i) => i >= before && t >= t0 && /^(Rebuilt|Error)/.test(l), 3_600_000, 'the full rebuild');
    if (/^Error/.test(rebuilt[1])) throw new Error(`the edit failed to build:\n${stdout}`);
    // With GENERATOR_TIMINGS=1, serve prints its phases (`timing: preview: …`): when the file
    // event came, and how long each step of the rebuild of the edited document took.
    const phases = {};
    const writtenAt = performance.timeOrigin + t0;
    for (const [, l] of seen.slice(before)) {
      let m = /^timing: preview: first file event at ([\d.]+) \(Unix ms\)/.exec(l);
      if (m && !('write to file event' in phases)) phases['write to file event'] = Number(m[1]) - writtenAt;
      m = /^timing: (preview: .*) ([\d.]+) ms$/.exec(l);
      if (m) phases[m[1].replace(/^preview: /, '')] ??= Number(m[2]);
      if (/^Updated /.test(l)) break;
    }
    results.push({ served, full: rebuilt[0] - t0, phases });
    console.error(`edit ${k}: page served after ${served.toFixed(1)} ms; full rebuild done after ${(rebuilt[0] - t0).toFixed(0)} ms`);
    for (const [name, ms] of Object.entries(phases)) console.error(`  ${name}: ${ms.toFixed(1)} ms`);
    await sleep(300);
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const summary = {
    root, documents: docs.length, file: rel, page: pagePath, edits,
    startup_ms: Math.round(startup),
    served_median_ms: Number(median(results.map((r) => r.served)).toFixed(1)),
    served_ms: results.map((r) => Number(r.served.toFixed(1))),
    full_rebuild_median_ms: Math.round(median(results.map((r) => r.full))),
  };
  const names = [...new Set(results.flatMap((r) => Object.keys(r.phases)))];
  if (names.length) {
    summary.phase_median_ms = Object.fromEntries(names.map((n) => [
      n, Number(median(results.map((r) => r.phases[n]).filter((x) => x !== undefined)).toFixed(1)),
    ]));
  }
  console.log(JSON.stringify(summary, null, 2));
} finally {
  restore();
}
