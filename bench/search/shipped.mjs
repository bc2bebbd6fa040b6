// Where a built site keeps its search: the index folder (dist/search/<hash>/, named by the hash
// of its files, generator/src/fingerprint.rs) and the client (static/search.<hash>.js, minified),
// read from the search page as a browser reads them.
import fs from 'node:fs';
import path from 'node:path';

/** {index: folder of meta.json under dist, client: search.js path under dist}, both relative. */
export function shipped(dist) {
  const page = fs.readFileSync(path.join(dist, 'zh/search/index.html'), 'utf8');
  const meta = /data-meta="(?:\.\.\/)*([^"]*)meta\.json"/.exec(page);
  const client = /<script src="(?:\.\.\/)*(static\/search[^"]*\.js)"/.exec(page);
  if (!meta || !client) throw new Error(`${dist}/zh/search/index.html: no data-meta or search script`);
  return { index: meta[1], client: client[1] };
}

/** The folder of the index's files in `dist` (absolute). */
export const indexDir = (dist) => path.join(dist, shipped(dist).index);
