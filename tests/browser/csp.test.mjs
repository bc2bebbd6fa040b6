// The Content-Security-Policy of the built site, read from the files (no browser): every page
// carries the policy in a <meta http-equiv> ahead of anything it governs; the policy allows
// nothing from another host and nothing inline; only the calculator pages allow WASM; and
// dist/_headers gives each page the same policy as a header (plus frame-ancestors). That the
// browser refuses nothing the pages do is checked in site.test.mjs (securitypolicyviolation).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPages } from './lib/site.mjs';
import { expectNone } from './lib/checks.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/;
const isCalculator = (urlPath) => /^\/(zh|en)\/calculator\/$/.test(urlPath);
const unescape = (v) => v.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

let pages; // [{file, path, html, policy}]

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'index.html'))) {
    throw new Error(`${ROOT}/index.html not found: build the site first (cargo run --release -p generator -- build)`);
  }
  pages = findPages(ROOT).map((p) => {
    const html = fs.readFileSync(p.file, 'utf8');
    const head = html.slice(0, html.indexOf('</head>'));
    const m = META.exec(head);
    return { ...p, html, head, policy: m ? unescape(m[1]) : null, metaAt: m ? m.index : -1 };
  });
});

/** Map(directive -> [sources]) of a policy. */
function directives(policy) {
  const out = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

test('every page has the policy in a <meta> in its <head>, before any script, style or link', () => {
  const failures = [];
  for (const p of pages) {
    if (p.policy === null) {
      failures.push(`${p.path}: no <meta http-equiv="Content-Security-Policy"> in <head>`);
      continue;
    }
    // A <meta> policy governs only what comes after it.
    const first = p.head.search(/<(script|link|style)\b/);
    if (first !== -1 && first < p.metaAt) failures.push(`${p.path}: the policy <meta> comes after a <script>, <link> or <style>`);
  }
  assert.ok(pages.length > 10, `pages found in ${ROOT}: ${pages.length}`);
  expectNone(failures, 'policy present');
});

test('the policy allows nothing from another host, nothing inline, no plug-ins, no <base>, forms only here', () => {
  const failures = [];
  for (const p of pages.filter((x) => x.policy !== null)) {
    const d = directives(p.policy);
    const want = { 'default-src': "'self'", 'object-src': "'none'", 'base-uri': "'none'", 'form-action': "'self'" };
    for (const [name, value] of Object.entries(want)) {
      if ((d.get(name) ?? []).join(' ') !== value) failures.push(`${p.path}: ${name} is "${(d.get(name) ?? []).join(' ')}", expected ${value}`);
    }
    for (const [name, sources] of d) {
      for (const s of sources) {
        // Only keywords: 'self', 'none', 'wasm-unsafe-eval'; no host, scheme, wildcard or nonce.
        if (!["'self'", "'none'", "'wasm-unsafe-eval'"].includes(s)) failures.push(`${p.path}: ${name} allows ${s}`);
      }
    }
    if (d.has('frame-ancestors')) failures.push(`${p.path}: frame-ancestors in a <meta> is ignored (it belongs in _headers)`);
  }
  expectNone(failures, 'policy content');
});

test('only the calculator pages allow WebAssembly (wasm-unsafe-eval), and they do when the WASM is built', () => {
  const failures = [];
  // The module is named by its content hash (calculator_bg.<hash>.wasm).
  const calcDir = path.join(ROOT, 'static/calculator');
  const wasmBuilt = fs.existsSync(calcDir) && fs.readdirSync(calcDir).some((f) => /^calculator_bg\b.*\.wasm$/.test(f));
  const calculators = pages.filter((p) => isCalculator(p.path));
  if (wasmBuilt) assert.equal(calculators.length, 2, 'the calculator in both languages');
  for (const p of pages.filter((x) => x.policy !== null)) {
    const wasm = (directives(p.policy).get('script-src') ?? []).includes("'wasm-unsafe-eval'");
    if (wasm && !isCalculator(p.path)) failures.push(`${p.path}: allows wasm-unsafe-eval but is not a calculator page`);
    if (!wasm && isCalculator(p.path) && wasmBuilt) failures.push(`${p.path}: the calculator page does not allow wasm-unsafe-eval`);
  }
  expectNone(failures, 'wasm-unsafe-eval');
});

test('no page holds inline code: scripts have a src (or are JSON data), no style attribute, <style> or on* handler', () => {
  const failures = [];
  for (const p of pages) {
    for (const m of p.html.matchAll(/<script\b([^>]*)>/g)) {
      // A data block (type="application/json") is never executed, so the policy does not govern it.
      if (!/\ssrc=/.test(m[1]) && !/\stype="application\/json"/.test(m[1])) failures.push(`${p.path}: inline <script${m[1]}>`);
    }
    if (/<style\b/.test(p.html)) failures.push(`${p.path}: a <style> element`);
    for (const m of p.html.matchAll(/<[a-zA-Z][^>]*?\s(style|on[a-z]+)\s*=/g)) failures.push(`${p.path}: an inline ${m[1]}= attribute`);
    if (/\s(href|src|action)="\s*javascript:/i.test(p.html)) failures.push(`${p.path}: a javascript: URL`);
  }
  expectNone(failures, 'inline code');
});

test('_headers gives every page, at each of its URLs, its own policy plus frame-ancestors, and nothing else', () => {
  const file = path.join(ROOT, '_headers');
  assert.ok(fs.existsSync(file), `${file} exists`);
  const rules = new Map(); // URL -> [header lines]
  let current = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (/^\s/.test(line)) {
      assert.ok(current, `a header line before any URL: ${line}`);
      rules.get(current).push(line.trim());
    } else {
      assert.ok(!rules.has(line), `${line} has two rules`);
      assert.ok(!line.includes('*'), `${line}: no wildcard (rules matching one path would be merged)`);
      current = line;
      rules.set(line, []);
    }
  }
  const failures = [];
  const expected = new Set();
  for (const p of pages.filter((x) => x.policy !== null)) {
    const rel = path.relative(ROOT, p.file).split(path.sep).join('/');
    // The URLs that serve the file: "/zh/plan/" and "/zh/plan/index.html"; "/404.html" and "/404".
    const urls = rel.endsWith('index.html') ? [p.path, '/' + rel] : ['/' + rel, '/' + rel.slice(0, -'.html'.length)];
    for (const url of urls) {
      expected.add(url);
      const want = `Content-Security-Policy: ${p.policy}; frame-ancestors 'none'`;
      // A page's rule carries its policy; other headers (none today) are not this test's.
      const got = rules.get(url)?.filter((h) => h.startsWith('Content-Security-Policy'));
      if (!got) failures.push(`${url}: no rule in _headers`);
      else if (got.length !== 1 || got[0] !== want) failures.push(`${url}: _headers says ${JSON.stringify(got)}, the page's <meta> gives ${JSON.stringify(want)}`);
    }
  }
  // Besides the pages' rules: long caching for files named by their content hash, or in the
  // search index's folder named by its hash (publishing.test.mjs checks which), each for its
  // exact path, never a policy.
  const cacheOnly = (url) =>
    /\.[0-9a-f]{10}\.[a-z0-9]+$|^\/search\/[0-9a-f]{10}\//.test(url) && fs.existsSync(path.join(ROOT, url)) &&
    rules.get(url).every((h) => h.startsWith('Cache-Control:'));
  for (const url of rules.keys()) if (!expected.has(url) && !cacheOnly(url)) failures.push(`${url}: a rule in _headers for no page`);
  expectNone(failures, '_headers');
});
