// Permalinks that never break: every URL and anchor the site published at a named commit
// (tests/permalinks/published-<commit>.json, made by tests/permalinks/generate.mjs) is opened on
// this build (dist/, or SITE_DIR) in Chromium with JavaScript off. Each URL must serve a full
// page (HTTP 200, a <main> with text, no meta refresh, which would drop the #anchor), and each
// anchor must exist and still show its opening text. A page may gain text (a version notice, a
// status line) around a target; the target's published opening text must still be in it.
// Each calculator link (a scenario in the fragment) must open the same scenario: the same
// controls checked and filled, once the app has read the fragment.
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { expectNone } from './lib/checks.mjs';
import { readPage, readScenario } from '../permalinks/lib.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(process.env.SITE_DIR ?? path.join(REPO, 'dist'));
const LISTS = path.join(REPO, 'tests/permalinks');

/** The opening text with the cut marks of a shorter text left out, for comparison. */
const fold = (t) => String(t ?? '').replace(/\s+/g, ' ').trim();

let server, browser;

before(async () => {
  if (!fs.existsSync(path.join(ROOT, 'index.html'))) {
    throw new Error(`${ROOT}/index.html not found: build the site first (cargo run --release -p generator -- build)`);
  }
  server = await serve(ROOT);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const lists = fs
  .readdirSync(LISTS)
  .filter((f) => /^published-[0-9a-f]+\.json$/.test(f))
  .sort();

test('a list of published URLs is committed', () => {
  if (!lists.length) throw new Error(`no tests/permalinks/published-<commit>.json: run tests/permalinks/generate.mjs`);
});

for (const file of lists) {
  const list = JSON.parse(fs.readFileSync(path.join(LISTS, file), 'utf8'));
  test(`every URL and anchor published at ${list.commit} (${list.counts.pages} pages, ${list.counts.anchors} anchors) lands on its text`, async () => {
    const failures = [];
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      for (const p of list.pages) {
        // The served HTML first: a meta refresh would navigate away before the page is read.
        const raw = await fetch(server.url + p.url).then(async (r) => ({ status: r.status, html: await r.text() }), (e) => ({ status: e.message, html: '' }));
        if (/<meta\s[^>]*http-equiv\s*=\s*["']?refresh/i.test(raw.html)) {
          failures.push(`${p.url}: expected a full page, found a <meta http-equiv="refresh"> (it drops the #anchor)`);
          continue;
        }
        const res = await page.goto(server.url + p.url, { waitUntil: 'load' }).catch((e) => e);
        if (res instanceof Error || !res || res.status() !== 200) {
          failures.push(`${p.url}: expected a page, found ${res instanceof Error ? res.message : 'HTTP ' + res?.status()}`);
          continue;
        }
        // A folder URL must not have been redirected elsewhere (only "/x" -> "/x/" is allowed).
        const landed = new URL(page.url()).pathname;
        if (landed !== p.url) failures.push(`${p.url}: expected the page at this path, landed on ${landed}`);
        const got = await readPage(page, { ids: p.anchors.map((a) => a.id) });
        if (got.refresh) failures.push(`${p.url}: expected a full page, found a <meta http-equiv="refresh"> (it drops the #anchor)`);
        if (got.mainText < 40) failures.push(`${p.url}: expected a full page, found ${got.mainText} characters in <main>`);
        if (p.h1 !== null && !fold(got.h1).includes(fold(p.h1))) {
          failures.push(`${p.url}: <h1> expected "${p.h1}", found "${got.h1 ?? '(no h1)'}"`);
        }
        for (const a of p.anchors) {
          const found = got.anchors[a.id];
          if (found === null || found === undefined) {
            failures.push(`${p.url}#${a.id}: expected an element with id "${a.id}" opening with "${a.text}", found none`);
          } else if (!(await holds(page, a.id, a.text))) {
            failures.push(`${p.url}#${a.id}: expected text "${a.text}", found "${found}"`);
          }
        }
      }
    } finally {
      await context.close();
    }
    expectNone(failures, `published URLs of ${list.commit} (tests/permalinks/${file})`);
  });
}

/** Whether this build has the calculator's WASM (named by its hash): without it no app starts. */
const wasmBuilt = () => {
  const dir = path.join(ROOT, 'static/calculator');
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /^calculator_bg\b.*\.wasm$/.test(f));
};

for (const file of lists) {
  const list = JSON.parse(fs.readFileSync(path.join(LISTS, file), 'utf8'));
  test(`every calculator link published at ${list.commit} (${list.calculator_links.length}) opens the same scenario`, async (t) => {
    if (!wasmBuilt()) return t.skip('the calculator WASM is not built in this dist/');
    const failures = [];
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      for (const c of list.calculator_links) {
        await page.goto(server.url + c.url, { waitUntil: 'load' });
        const found = await readScenario(page).catch((e) => [`(the app did not start: ${e.message.split('\n')[0]})`]);
        if (found.join(' ') !== c.scenario.join(' ')) {
          failures.push(`${c.url}: expected the scenario [${c.scenario.join(', ')}], found [${found.join(', ')}]`);
        }
      }
    } finally {
      await context.close();
    }
    expectNone(failures, `calculator links of ${list.commit} (tests/permalinks/${file})`);
  });
}

/** Whether the element `id` of the loaded page holds `text` (white space folded). */
function holds(page, id, text) {
  return page.evaluate(
    ({ id, text }) => {
      const el = document.getElementById(id);
      return !!el && el.textContent.replace(/\s+/g, ' ').trim().includes(text);
    },
    { id, text: fold(text) },
  );
}
