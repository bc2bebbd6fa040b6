#!/usr/bin/env node
// A stand-in library of N documents for the preview benchmark, until bench/library/ (synthetic
// libraries generated from the real text's sentences) is there: the repository's content/ with
// its action plan copied under new ids (syn-0001, syn-0002, …) until the library holds N
// documents. Each copy keeps the real text, notice and source, so the build's checks accept it;
// only its folder and the `id` of its document.yaml change.
//
//   node bench/preview/replicate.mjs REPO DEST N
//
// writes DEST/content/ and links DEST/themes to REPO/themes: DEST is a project root to give
// `generator serve` as GENERATOR_ROOT.
import fs from 'node:fs';
import path from 'node:path';

const [repo, dest, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!repo || !dest || !Number.isInteger(n) || n < 1) {
  console.error('usage: node bench/preview/replicate.mjs REPO DEST N');
  process.exit(2);
}
const content = path.join(dest, 'content');
fs.rmSync(dest, { recursive: true, force: true });
fs.mkdirSync(dest, { recursive: true });
fs.cpSync(path.join(repo, 'content'), content, { recursive: true });
fs.symlinkSync(path.resolve(repo, 'themes'), path.join(dest, 'themes'));

const docs = path.join(content, 'documents');
const featured = /^featured:\s*(\S+)/m.exec(fs.readFileSync(path.join(content, 'library.yaml'), 'utf8'))[1];
const have = fs.readdirSync(docs).length;
const entry = fs.readFileSync(path.join(docs, featured, 'document.yaml'), 'utf8');
for (let i = 1; have + i - 1 < n; i++) {
  const id = `syn-${String(i).padStart(4, '0')}`;
  const dir = path.join(docs, id);
  fs.cpSync(path.join(docs, featured), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'document.yaml'), entry.replace(/^id: .*$/m, `id: ${id}`));
}
console.log(`${dest}: ${fs.readdirSync(docs).length} documents (featured: ${featured})`);
