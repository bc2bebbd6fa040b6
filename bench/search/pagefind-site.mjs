// Writes the search documents of a built site as a site for Pagefind: one page per document and
// language (crumb, title, text: what our index holds), so that both engines index the same
// documents at the same granularity and a Pagefind result maps to a document id.
//   node bench/search/pagefind-site.mjs <dist> <out>
import fs from 'node:fs';
import path from 'node:path';
import { indexDir } from './shipped.mjs';

const [dist, out] = process.argv.slice(2);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
let pages = 0;
for (const lang of ['zh', 'en']) {
  const dir = path.join(indexDir(dist), lang);
  const chunks = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  for (const f of chunks) {
    // A crumb or title of 0 is the row before's in the file (generator/src/search/mod.rs).
    let crumb, title;
    for (const [id, , c, t, text] of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      crumb = c === 0 ? crumb : c;
      title = t === 0 ? title : t;
      const file = path.join(out, lang, id, 'index.html');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
          `<body><main data-pagefind-body><p>${esc(crumb)}</p><h1>${esc(title)}</h1><p>${esc(text)}</p></main></body></html>\n`,
      );
      pages++;
    }
  }
}
console.log(`pagefind-site: ${pages} pages in ${out}`);
