// Publishing files of the built site (dist/, or SITE_DIR): the Atom feeds and the sitemap pass a
// schema check (lib/publishing.mjs, in Chromium's XML parser) and lead to pages that exist; the
// not-found page offers search in both languages; the open data follows its published JSON
// Schema; files named by content hash get long caching in _headers, and nothing else does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { launch } from './lib/browser.mjs';
import { expectNone } from './lib/checks.mjs';
import { findPages, fileFor } from './lib/site.mjs';
import { validateAtom, validateSitemap } from './lib/publishing.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const read = (rel) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

let browser, page;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'index.html'))) {
    throw new Error(`${ROOT}/index.html not found: build the site first (cargo run --release -p generator -- build)`);
  }
  browser = await launch();
  page = await (await browser.newContext()).newPage();
});

after(async () => {
  await browser?.close();
});

/** The newest version's issue date in the open data: the date of the content the pages show. */
const newestIssued = () =>
  JSON.parse(read('data/index.json'))
    .documents.flatMap((d) => d.versions.map((v) => v.issued))
    .sort()
    .at(-1);

/**
 * The date of the content a page of one document shows, from the open data: a version's pages
 * its issue date, a what-changed page the later version's, the document's other pages the
 * newest of its versions (a record: its one date); undefined for the pages of the whole site.
 */
const contentDate = (p) => {
  const m = /^\/(?:[^/]*\/)*?(?:zh|en)\/documents\/([^/]+)\/(.*)$/.exec(p);
  if (!m) return undefined;
  const doc = JSON.parse(read('data/index.json')).documents.find((d) => d.id === m[1]);
  if (!doc) return undefined;
  const of = (date) => doc.versions.find((v) => v.date === date && !v.record)?.issued;
  const first = m[2].split('/')[0];
  const pair = /^changes\/[0-9-]+\.\.([0-9-]+)\//.exec(m[2]);
  return of(first) ?? (pair && of(pair[1])) ?? doc.versions.map((v) => v.issued).sort().at(-1);
};

test('the validators refuse feeds and sitemaps that break the rules', async () => {
  const atom = (body) => `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${body}</feed>`;
  const good = '<id>urn:uuid:1</id><title>t</title><updated>2024-11-19T00:00:00+08:00</updated><author><name>a</name></author>';
  const entry = '<entry><id>urn:uuid:2</id><title>e</title><updated>2024-11-19T00:00:00+08:00</updated><link href="./"/></entry>';
  assert.deepEqual((await page.evaluate(validateAtom, atom(good + entry))).failures, []);
  for (const [bad, says] of [
    [atom(good.replace('<id>urn:uuid:1</id>', '') + entry), 'feed: 0 <id>'],
    [atom(good.replace('2024-11-19T00:00:00+08:00', '2024-11-19')) , 'not an RFC 3339 date-time'],
    [atom(good + entry.replace('<updated>2024-11-19T00:00:00+08:00</updated>', '')), 'entry 1: 0 <updated>'],
    [atom(good.replace('<author><name>a</name></author>', '') + entry), 'no <author>'],
    [atom(good + entry.replace('<link href="./"/>', '')), 'neither <content> nor an alternate <link>'],
    [atom(good + entry + entry), 'is used twice'],
    [atom(good).replace('http://www.w3.org/2005/Atom', 'urn:x'), 'expected <feed>'],
    ['<feed>', 'not well-formed'],
  ]) {
    const got = (await page.evaluate(validateAtom, bad)).failures.join('\n');
    assert.ok(got.includes(says), `expected "${says}", got: ${got || '(no failure)'}`);
  }
  const map = (body) => `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${body}</urlset>`;
  assert.deepEqual((await page.evaluate(validateSitemap, map('<url><loc>/zh/</loc><lastmod>2024-11-19</lastmod></url>'))).failures, []);
  for (const [bad, says] of [
    [map('<url><lastmod>2024-11-19</lastmod></url>'), '0 <loc>'],
    [map('<url><loc>/zh/</loc><lastmod>2024-13-01</lastmod></url>'), 'not a W3C date'],
    [map('<url><loc>/zh/</loc><lastmod>19/11/2024</lastmod></url>'), 'not a W3C date'],
    [map('<url><loc>/zh/</loc></url><url><loc>/zh/</loc></url>'), 'listed twice'],
    [map('<page><loc>/zh/</loc></page>'), 'is not a <url>'],
    [map('').replace('0.9', '0.8'), 'expected <urlset>'],
  ]) {
    const got = (await page.evaluate(validateSitemap, bad)).failures.join('\n');
    assert.ok(got.includes(says), `expected "${says}", got: ${got || '(no failure)'}`);
  }
});

test('each language has an Atom feed that passes the schema check and links to pages that exist', async () => {
  const failures = [];
  const issued = newestIssued();
  for (const lang of ['zh', 'en']) {
    const rel = `${lang}/feed.xml`;
    if (!fs.existsSync(path.join(ROOT, rel))) {
      failures.push(`/${rel}: missing`);
      continue;
    }
    const { failures: f, entries, self } = await page.evaluate(validateAtom, read(rel));
    failures.push(...f.map((m) => `/${rel}: ${m}`));
    if (!entries?.length) failures.push(`/${rel}: no entry (the library has at least one document version)`);
    const base = `http://site/${rel}`;
    if (self && new URL(self, base).pathname !== `/${rel}`) failures.push(`/${rel}: rel="self" is ${self}`);
    for (const e of entries ?? []) {
      const to = new URL(e.link, base).pathname;
      if (!fileFor(ROOT, to)) failures.push(`/${rel}: entry "${e.title}" links to ${to}, which is no page`);
    }
    if (!read(rel).includes(`<updated>${issued}T`)) failures.push(`/${rel}: <updated> is not the newest version's issue date ${issued}`);
  }
  expectNone(failures, 'Atom feeds');
});

test('sitemap.xml passes the schema check, lists every page once with the content date, and nothing else', async () => {
  const { failures, urls } = await page.evaluate(validateSitemap, read('sitemap.xml'));
  const issued = newestIssued();
  const listed = new Set();
  for (const u of urls ?? []) {
    const p = /^https?:\/\//.test(u.loc) ? new URL(u.loc).pathname : u.loc;
    if (!p.startsWith('/')) failures.push(`${u.loc}: neither an absolute URL nor a path from the site's root`);
    else if (!fileFor(ROOT, p)) failures.push(`${u.loc}: no page there`);
    const shown = contentDate(p) ?? issued;
    if (u.lastmod !== shown) failures.push(`${u.loc}: lastmod ${u.lastmod}, the content it shows is dated ${shown}`);
    listed.add(p);
  }
  for (const p of findPages(ROOT)) {
    if (p.path === '/404.html') {
      if (listed.has(p.path)) failures.push('/404.html is listed: it is no page to index');
    } else if (![...listed].some((l) => l.endsWith(p.path))) failures.push(`${p.path}: not in sitemap.xml`);
  }
  expectNone(failures, 'sitemap.xml');
});

test('404.html is a full page in both languages, with a search box for each', async () => {
  const html = read('404.html');
  await page.setContent(html);
  const forms = await page.$$eval('form[role=search]', (fs) => fs.map((f) => ({ action: f.getAttribute('action'), q: !!f.querySelector('input[name=q]') })));
  assert.deepEqual(forms.map((f) => f.action.replace(/^.*\/(zh|en)\/search\/$/, '$1')), ['zh', 'en']);
  assert.ok(forms.every((f) => f.q), 'each form has its q box');
  for (const f of forms) assert.ok(fileFor(ROOT, f.action), `${f.action} is the search page`);
  assert.ok((await page.locator('[lang=en] h2').count()) === 1, 'the English half is marked lang=en');
  assert.ok(!/http-equiv="refresh"/i.test(html), 'no meta refresh');
});

test('the open data follows its JSON Schema, one file per document version', () => {
  const schema = JSON.parse(read('data/schema.json'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const failures = [];
  const check = (rel) => {
    if (!validate(JSON.parse(read(rel)))) {
      for (const e of validate.errors) failures.push(`/${rel}: ${e.instancePath || '(root)'} ${e.message}`);
    }
  };
  check('data/index.json');
  const index = JSON.parse(read('data/index.json'));
  for (const d of index.documents) {
    for (const v of d.versions) {
      const rel = `data/${v.file}`;
      if (!fs.existsSync(path.join(ROOT, rel))) failures.push(`/${rel}: listed in data/index.json, missing`);
      else check(rel);
      // A version's file is named by its date; a record (no text, no versions) has record.json.
      const expected = v.record ? `${d.id}/record.json` : `${d.id}/${v.date}.json`;
      if (v.file !== expected) failures.push(`/${rel}: expected data/${expected}`);
    }
  }
  // The schema is no rubber stamp: a version without its clauses fails it.
  assert.equal(validate({ ...index, documents: undefined }), false, 'an index without documents fails');
  expectNone(failures, 'open data');
});

test('files named by content hash are cached for a year by _headers, pages are not', () => {
  const rules = new Map();
  let current = null;
  for (const line of read('_headers').split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    if (/^\s/.test(line)) rules.get(current).push(line.trim());
    else rules.set((current = line), []);
  }
  const failures = [];
  // A file's own hash in its name, or the search index's folder named by the hash of all its files.
  const HASHED = /\.[0-9a-f]{10}\.[a-z0-9]+$|^\/search\/[0-9a-f]{10}\//;
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(ROOT)) {
    const url = '/' + path.relative(ROOT, file).split(path.sep).join('/');
    const cached = (rules.get(url) ?? []).some((h) => /^Cache-Control:.*immutable/.test(h));
    // The versions' rule sets too (rules/); rules.json at the root is open data at a stable address.
    if (url.startsWith('/static/') || url.startsWith('/search/') || url.startsWith('/rules/')) {
      if (!HASHED.test(url)) failures.push(`${url}: an asset not named by its content hash`);
      else if (!cached) failures.push(`${url}: named by hash but not cached for long`);
    } else if (cached) failures.push(`${url}: cached for a year, but its name does not change with its content`);
  }
  expectNone(failures, 'hashed assets');
});
