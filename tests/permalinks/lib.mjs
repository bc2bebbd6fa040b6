// What a published URL and its anchors show, read the same way by the list's generator
// (generate.mjs, run once against the site as published at a named commit) and by the test that
// opens every entry of that list on a new build (tests/browser/permalinks.test.mjs).
//
// Pages are read in Chromium with JavaScript off: a link shared today must land on its text in
// the served HTML itself, not only after a script has run.
import fs from 'node:fs';
import path from 'node:path';
import { findPages } from '../browser/lib/site.mjs';

/** How many characters of a target's text are kept as its opening text. */
export const OPENING = 80;

/**
 * The anchor ids the README's permalink table documents (general, actions, tasks, closing
 * paragraphs, attachment sections, items and clauses, subsidies, rows of the side-by-side view,
 * glossary terms). Any other id counts as a published anchor only when a page of the site links
 * to it (see `linkedFragments`); the skip link's `#main` is page chrome, not a permalink.
 */
export const DOCUMENTED = /^(general|action-\d+|task-\d+|closing-\d+|att-\d+(-\d+(-[a-z]+)?)?|subsidy-[a-z0-9-]+|p-[a-z0-9-]+|term-[a-z0-9-]+)$/;
export const CHROME = new Set(['main']);

/** White space folded, trimmed, cut to `n` characters. */
export function opening(text, n = OPENING) {
  return String(text ?? '').replace(/\s+/g, ' ').trim().slice(0, n);
}

/**
 * Map(URL path -> Set(id)) of every `#fragment` a page of the site at `root` links to, with the
 * link resolved against the page that holds it. Calculator links (`#a=…&c=…`, a scenario, not
 * an element) are left out; `calculatorLinks` lists them.
 */
export function linkedFragments(root) {
  const out = new Map();
  for (const p of findPages(root)) {
    const html = fs.readFileSync(p.file, 'utf8');
    for (const m of html.matchAll(/\shref="([^"]*#[^"]+)"/g)) {
      const u = new URL(m[1].replace(/&amp;/g, '&'), 'http://site' + p.path);
      if (u.host !== 'site') continue;
      const id = decodeURIComponent(u.hash.slice(1));
      if (id.includes('=')) continue;
      if (!out.has(u.pathname)) out.set(u.pathname, new Set());
      out.get(u.pathname).add(id);
    }
  }
  return out;
}

/** The distinct calculator links (URL path + scenario fragment) the pages of `root` hold. */
export function calculatorLinks(root) {
  const out = new Set();
  for (const p of findPages(root)) {
    const html = fs.readFileSync(p.file, 'utf8');
    for (const m of html.matchAll(/\shref="([^"]*calculator\/#[^"]+)"/g)) {
      const u = new URL(m[1].replace(/&amp;/g, '&'), 'http://site' + p.path);
      out.add(u.pathname + u.hash);
    }
  }
  return [...out].sort();
}

/**
 * Reads one loaded page (JavaScript off) in the browser: whether it is a full page (a `<main>`
 * with text, no meta refresh), its `<h1>`, and for each id in `ids` (or, when `ids` is null,
 * each id that `pattern` accepts or `linked` names) the opening text of that element, or null
 * when the page has no element with that id.
 */
export async function readPage(page, { ids = null, linked = [] } = {}) {
  return page.evaluate(
    ({ ids, linked, pattern, chrome, n }) => {
      const fold = (t) => String(t ?? '').replace(/\s+/g, ' ').trim().slice(0, n);
      const re = new RegExp(pattern);
      const refresh = [...document.querySelectorAll('meta[http-equiv]')].some(
        (m) => m.getAttribute('http-equiv').toLowerCase() === 'refresh',
      );
      const main = document.querySelector('main');
      const h1 = document.querySelector('h1');
      const wanted =
        ids ??
        [...document.querySelectorAll('[id]')]
          .map((e) => e.id)
          .filter((id) => !chrome.includes(id) && (re.test(id) || linked.includes(id)))
          // A heading's own id (`att-1-3-h` beside `att-1-3`) is part of its target, unless linked.
          .filter((id, _, all) => !(id.endsWith('-h') && all.includes(id.slice(0, -2)) && !linked.includes(id)));
      const anchors = {};
      for (const id of wanted) {
        const el = document.getElementById(id);
        anchors[id] = el ? fold(el.textContent) : null;
      }
      return {
        refresh,
        mainText: main ? main.textContent.replace(/\s+/g, ' ').trim().length : 0,
        h1: h1 ? fold(h1.textContent) : null,
        title: fold(document.title),
        anchors,
      };
    },
    { ids, linked, pattern: DOCUMENTED.source, chrome: [...CHROME], n: OPENING },
  );
}

/** The URL paths of every page under `root` ("/zh/plan/"), sorted. */
export function pagePaths(root) {
  return findPages(root).map((p) => p.path);
}

/** The committed list's path for a commit. */
export function listFile(commit) {
  return path.join(path.dirname(new URL(import.meta.url).pathname), `published-${commit}.json`);
}

/** The selector the calculator sets once its app has taken over the page. */
export const CALC_READY = '#calculator-app .calc[data-app="ready"]';

/**
 * The scenario a loaded calculator page shows (JavaScript on, app ready): every form control of
 * the app as `id=checked` for a checked box or radio, `id=value` for a filled field, sorted.
 * The policy-version bar (`.calc-versions`: which version, on which day) is not the applicant's
 * scenario: its date field starts at the reader's own day, so it is left out.
 */
export async function readScenario(page) {
  await page.locator(CALC_READY).waitFor({ timeout: 20_000 });
  return page.evaluate(() =>
    [...document.querySelectorAll('#calculator-app input, #calculator-app select, #calculator-app textarea')]
      .filter((e) => !e.closest('.calc-versions'))
      .filter((e) => ((e.type === 'checkbox' || e.type === 'radio') ? e.checked : e.value !== ''))
      // A radio without id is named by its group and place in it (calc-kind[0]).
      .map((e) => `${e.id || `${e.name}[${[...document.getElementsByName(e.name)].indexOf(e)}]`}=${e.type === 'checkbox' || e.type === 'radio' ? 'checked' : e.value}`)
      .sort(),
  );
}
