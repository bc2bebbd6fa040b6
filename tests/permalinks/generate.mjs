// Writes the list of every URL and anchor a built site publishes, with each target's opening
// text: the page's <h1>, an anchor's element text (white space folded, first 80 characters).
// The committed list (published-<commit>.json) is the safety net of the site's URLs: the test
// tests/browser/permalinks.test.mjs opens each entry on the new build and compares.
//
//   node tests/permalinks/generate.mjs <dist> <commit> > tests/permalinks/published-<commit>.json
//
// <dist> must be the site built from <commit>; how the committed list was made:
//   git worktree add /tmp/published 51e10f0
//   (cd /tmp/published && SOURCE_DATE_EPOCH=1764460800 cargo run -p generator -- build)
//   node tests/permalinks/generate.mjs /tmp/published/dist 51e10f0 > tests/permalinks/published-51e10f0.json
//
// Anchors: the ids of README's permalink table (general, action-N, task-N, closing-N, att-…,
// subsidy-…, p-…, term-…) and any other id a page of the site links to. Pages are read with
// JavaScript off (lib.mjs says why). Calculator links (a scenario in the fragment, not an
// element) are listed apart, under `calculator_links`, each with the scenario the calculator
// shows once its app has read the fragment (every checked or filled control, `id=value`).
import fs from 'node:fs';
import path from 'node:path';
import { serve } from '../browser/lib/server.mjs';
import { launch } from '../browser/lib/browser.mjs';
import { CHROME, calculatorLinks, linkedFragments, pagePaths, readPage, readScenario } from './lib.mjs';

const [dist, commit] = process.argv.slice(2);
if (!dist || !commit || !/^[0-9a-f]{7,40}$/.test(commit)) {
  console.error('usage: node tests/permalinks/generate.mjs <dist> <commit>');
  process.exit(2);
}
const root = path.resolve(dist);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`${root}/index.html not found: build the site of ${commit} first`);
  process.exit(1);
}

const linked = linkedFragments(root);
const server = await serve(root);
const browser = await launch();
const pages = [];
const scenarios = [];
try {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const url of pagePaths(root)) {
    const res = await page.goto(server.url + url, { waitUntil: 'load' });
    if (!res || res.status() !== 200) throw new Error(`${url}: HTTP ${res?.status()}`);
    const got = await readPage(page, { linked: [...(linked.get(url) ?? [])] });
    const missing = [...(linked.get(url) ?? [])].filter((id) => !CHROME.has(id) && !(id in got.anchors));
    if (missing.length) console.error(`note: ${url} is linked to #${missing.join(', #')}, which it does not hold`);
    pages.push({
      url,
      h1: got.h1,
      title: got.title,
      anchors: Object.entries(got.anchors)
        .filter(([, text]) => text !== null)
        .map(([id, text]) => ({ id, text })),
    });
  }
  await context.close();
  // Calculator links: the scenario each opens (needs the WASM in <dist>).
  const js = await browser.newContext();
  const calc = await js.newPage();
  for (const url of calculatorLinks(root)) {
    await calc.goto(server.url + url, { waitUntil: 'load' });
    scenarios.push({ url, scenario: await readScenario(calc) });
  }
  await js.close();
} finally {
  await browser.close();
  await server.close();
}

const anchors = pages.reduce((n, p) => n + p.anchors.length, 0);
process.stdout.write(
  JSON.stringify(
    {
      commit,
      about:
        'Every URL and anchor the site published at this commit, with the opening text of each target ' +
        '(a page: its h1; an anchor: its element text, white space folded, first 80 characters), read with ' +
        'JavaScript off; and each calculator link with the scenario it opens. Made by tests/permalinks/generate.mjs; checked against every new build by ' +
        'tests/browser/permalinks.test.mjs. Never edit by hand.',
      counts: { pages: pages.length, anchors, calculator_links: calculatorLinks(root).length },
      pages,
      calculator_links: scenarios,
    },
    null,
    1,
  ) + '\n',
);
