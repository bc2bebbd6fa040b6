// The checks of the quality gate. Each returns a list of failure messages, every one naming the
// page (its URL path) it is about, so that site.test.mjs (the real site) and selftest.test.mjs
// (a fake site with planted faults) share exactly the same code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { counterpart, fileFor, isReadingPage, langOf } from './site.mjs';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const run = promisify(execFile);

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MAX_NODES = 5; // axe targets listed per violation and page

/** Throw one error listing every failure, or do nothing. */
export function expectNone(failures, what) {
  if (failures.length === 0) return;
  const counts = new Map();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  const list = [...counts].map(([f, n]) => '  - ' + f + (n > 1 ? ` (${n} times)` : '')).join('\n');
  throw new Error(`${what}: ${failures.length} problem(s)\n${list}`);
}

const short = (s, n = 80) => {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
};

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy: every page carries one (themes/default/templates/csp.html). A
// violation means the browser refused something the page asked for (an inline script or style,
// WASM on a page without 'wasm-unsafe-eval', a request to another host).

// Runs before the page's own scripts (an init script, which the page's policy does not govern)
// and hands every `securitypolicyviolation` event to the test through a binding.
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', function (e) {
  window.__reportCspViolation({ page: e.documentURI, directive: e.effectiveDirective,
    blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
}, true);`;

/** Chromium's console line for a refusal ("… violates the following Content Security Policy …"). */
export const isCspMessage = (text) => /Content[ -]Security[ -]Policy/i.test(text);

/**
 * Listen, in every page of `context`, for `securitypolicyviolation` events and for CSP messages
 * on the console; `report(urlPath, message)` gets each one. Call before opening pages.
 */
export async function listenForCsp(context, report) {
  const pathOf = (u) => {
    try {
      const url = new URL(u);
      return url.pathname + url.search;
    } catch {
      return String(u);
    }
  };
  await context.exposeBinding('__reportCspViolation', (_source, v) => {
    const at = v.source ? ` (${pathOf(v.source)}:${v.line})` : '';
    const sample = v.sample ? ` "${short(v.sample, 60)}"` : '';
    report(pathOf(v.page), `CSP violation: ${v.directive} refused ${v.blocked || 'inline'}${sample}${at}`);
  });
  await context.addInitScript({ content: CSP_LISTENER });
  context.on('console', (m) => {
    if (isCspMessage(m.text())) report(pathOf(m.page()?.url() ?? ''), `CSP console ${m.type()}: ${short(m.text(), 200)}`);
  });
}

/** Collects the CSP reports of every page of `context` as "urlPath: message" strings. */
export async function watchCsp(context) {
  const found = [];
  await listenForCsp(context, (urlPath, message) => found.push(`${urlPath}: ${message}`));
  return found;
}

// ---------------------------------------------------------------------------------------------
// Pass 1, JavaScript on: console, requests, CSP, axe. One fresh page per site page.

/**
 * Load every page with JavaScript on; record console errors and warnings, uncaught exceptions,
 * failed requests (network failure or HTTP >= 400), requests to another host, Content-Security-
 * Policy violations (events and console messages), and (opt-in) the axe-core violations.
 * Returns Map(urlPath -> record).
 *
 * axe-core is added as an init script (evaluated before the page's own scripts, and not subject
 * to the page's Content-Security-Policy) rather than injected per page: this halves the time.
 */
export async function crawlWithJs(browser, baseUrl, pages, { axe = true } = {}) {
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext();
  if (axe) await context.addInitScript({ content: AXE_SOURCE });
  const results = new Map();
  let rec = null; // the record of the page being loaded
  // A report belongs to the page it names (it may arrive after the next page has started).
  await listenForCsp(context, (urlPath, message) => (results.get(urlPath) ?? rec)?.csp.push(message));
  const page = await context.newPage();
  const inflight = new Set();
  let lastActivity = Date.now();
  const strip = (u) => (u.startsWith(origin) ? u.slice(origin.length) : u);
  page.on('console', (m) => {
    if (!rec || (m.type() !== 'error' && m.type() !== 'warning') || isCspMessage(m.text())) return;
    const loc = m.location();
    const where = loc?.url ? ` (${strip(loc.url)}:${loc.lineNumber + 1})` : '';
    rec.console.push(`console ${m.type()}: ${short(m.text(), 200)}${where}`);
  });
  page.on('pageerror', (e) => rec?.console.push(`uncaught exception: ${short(e.message, 200)}`));
  page.on('request', (r) => {
    inflight.add(r);
    lastActivity = Date.now();
    const u = new URL(r.url());
    if (rec && /^(https?|wss?):$/.test(u.protocol) && u.origin !== origin) {
      rec.foreign.push(`request to another host: ${r.url()}`);
    }
  });
  const done = (r) => {
    inflight.delete(r);
    lastActivity = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', (r) => {
    done(r);
    rec?.requests.push(`request failed: ${strip(r.url())} (${r.failure()?.errorText ?? 'failed'})`);
  });
  page.on('response', (r) => {
    if (rec && r.status() >= 400) rec.requests.push(`HTTP ${r.status()}: ${strip(r.url())}`);
  });
  // After "load": wait until no request has been in flight for 200 ms (at most 5 s), so that
  // late requests (WASM, JSON data, a search index) are seen.
  const settle = async () => {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (inflight.size === 0 && Date.now() - lastActivity >= 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    for (const { path: urlPath } of pages) {
      rec = { console: [], requests: [], foreign: [], csp: [], axe: [] };
      results.set(urlPath, rec);
      try {
        const resp = await page.goto(baseUrl + urlPath, { waitUntil: 'load', timeout: 30_000 });
        if (!resp) rec.requests.push('no response for the page itself');
        await settle();
        if (axe) {
          const violations = await page.evaluate(
            (tags) =>
              window.axe
                .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
                .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))),
            AXE_TAGS,
          );
          rec.axe = violations;
        }
      } catch (e) {
        rec.console.push(`page did not load or could not be checked: ${short(e.message, 200)}`);
      }
    }
    rec = null;
  } finally {
    await context.close();
  }
  return results;
}

export function consoleFailures(jsResults) {
  const out = [];
  for (const [url, rec] of jsResults) {
    for (const m of [...rec.console, ...rec.requests, ...rec.foreign]) out.push(`${url}: ${m}`);
  }
  return out;
}

/** Every Content-Security-Policy violation or CSP console message, named by page. */
export function cspFailures(jsResults) {
  const out = [];
  for (const [url, rec] of jsResults) {
    for (const m of rec.csp) out.push(`${url}: ${m}`);
  }
  return out;
}

export function axeFailures(jsResults) {
  const out = [];
  for (const [url, rec] of jsResults) {
    for (const v of rec.axe) {
      const shown = v.targets.slice(0, MAX_NODES).map((t) => JSON.stringify(t)).join(', ');
      const more = v.targets.length > MAX_NODES ? ` and ${v.targets.length - MAX_NODES} more` : '';
      out.push(`${url}: axe ${v.id} (${v.impact}): ${v.help}; target ${shown}${more}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pass 2, JavaScript off: what the HTML itself holds (links, ids, main text, language switch).

/** Load every page with JavaScript disabled and read its static DOM. Map(urlPath -> record). */
export async function crawlWithoutJs(browser, baseUrl, pages) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const results = new Map();
  const page = await context.newPage();
  try {
    for (const { path: urlPath } of pages) {
      try {
        const resp = await page.goto(baseUrl + urlPath, { waitUntil: 'load', timeout: 30_000 });
        if (!resp || resp.status() >= 400) throw new Error(`HTTP ${resp?.status()}`);
        results.set(urlPath, await page.evaluate(readStatic));
      } catch (e) {
        results.set(urlPath, { error: short(e.message, 200) });
      }
    }
  } finally {
    await context.close();
  }
  return results;
}

// Runs in the page (JavaScript disabled for the page's own scripts, not for evaluate()).
function readStatic() {
  const abs = (raw) => {
    try {
      return new URL(raw, document.baseURI).href;
    } catch {
      return null;
    }
  };
  const refs = [];
  for (const [sel, attr] of [
    ['a[href]', 'href'],
    ['area[href]', 'href'],
    ['link[href]', 'href'],
    ['img[src]', 'src'],
    ['script[src]', 'src'],
    ['source[src]', 'src'],
    ['iframe[src]', 'src'],
  ]) {
    for (const el of document.querySelectorAll(sel)) {
      const raw = el.getAttribute(attr);
      refs.push({ tag: el.localName, attr, raw, abs: abs(raw) });
    }
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  const mains = document.querySelectorAll('main');
  const langSwitch = [...document.querySelectorAll('[data-lang-switch] a[hreflang]')].map((a) => ({
    hreflang: a.getAttribute('hreflang'),
    raw: a.getAttribute('href'),
    abs: abs(a.getAttribute('href')),
  }));
  const alternates = [...document.querySelectorAll('link[rel~="alternate"][hreflang]')].map((l) => ({
    hreflang: l.getAttribute('hreflang'),
    raw: l.getAttribute('href'),
    abs: abs(l.getAttribute('href')),
  }));
  return {
    lang: document.documentElement.getAttribute('lang') ?? '',
    refs,
    ids: [...ids, ...names],
    mainCount: mains.length,
    mainText: mains[0] ? mains[0].innerText : null,
    langSwitch,
    alternates,
  };
}

/** Links, images, scripts and stylesheets that point into the site, and their #fragments. */
export function linkFailures(root, baseUrl, staticResults, pages) {
  const origin = new URL(baseUrl).origin;
  const pathOfFile = new Map(pages.map((p) => [p.file, p.path]));
  const out = [];
  for (const [url, rec] of staticResults) {
    if (rec.error) {
      out.push(`${url}: page did not load: ${rec.error}`);
      continue;
    }
    for (const ref of rec.refs) {
      const shown = `<${ref.tag} ${ref.attr}="${ref.raw}">`;
      if (ref.abs === null) {
        out.push(`${url}: ${shown} is not a valid URL`);
        continue;
      }
      const u = new URL(ref.abs);
      if (u.origin !== origin) continue; // another host, mailto:, data:, … (requests to other hosts are caught by the JS pass)
      const file = fileFor(root, u.pathname);
      if (!file) {
        out.push(`${url}: broken link ${shown}: ${u.pathname} does not exist in the site`);
        continue;
      }
      if (!u.hash || u.hash === '#') continue;
      let frag;
      try {
        frag = decodeURIComponent(u.hash.slice(1));
      } catch {
        frag = u.hash.slice(1);
      }
      if (frag.toLowerCase() === 'top') continue;
      const target = pathOfFile.get(file);
      if (!target) continue; // not an HTML page (an SVG, a PDF): fragments are not ids there
      // A calculator scenario (#a=enterprise&p=…, see calculator/src/scenario.rs), read by the
      // app, not an anchor; calculator.test.mjs checks that each one loads.
      if (/^\/(zh|en)\/calculator\/$/.test(target) && /^(v=[0-9-]+&)?a=/.test(frag)) continue;
      const t = staticResults.get(target);
      if (t && !t.error && !t.ids.includes(frag)) {
        out.push(`${url}: broken anchor ${shown}: ${target} has no element with id "${frag}"`);
      }
    }
  }
  return out;
}

/** Reading pages show their text with JavaScript off. */
export function noJsTextFailures(staticResults, { minChars = 40 } = {}) {
  const out = [];
  for (const [url, rec] of staticResults) {
    if (!isReadingPage(url)) continue;
    if (rec.error) {
      out.push(`${url}: page did not load: ${rec.error}`);
    } else if (rec.mainCount !== 1) {
      out.push(`${url}: expected exactly one <main>, found ${rec.mainCount}`);
    } else {
      const n = rec.mainText.replace(/\s+/g, '').length;
      if (n < minChars) {
        out.push(`${url}: with JavaScript disabled <main> shows only ${n} characters (${JSON.stringify(short(rec.mainText, 60))}); expected its text`);
      }
    }
  }
  return out;
}

/**
 * Both languages: every page has its counterpart, <html lang> matches the tree, the language
 * switch ([data-lang-switch] a[hreflang]) and the hreflang alternates point to the counterpart.
 */
export function languageFailures(staticResults) {
  const out = [];
  for (const [url, rec] of staticResults) {
    const lang = langOf(url);
    if (!lang || rec.error) continue;
    const other = lang === 'zh' ? 'en' : 'zh';
    const twin = counterpart(url);
    if (!staticResults.has(twin)) {
      out.push(`${url}: missing translation: there is no ${twin}`);
    }
    if (!rec.lang.toLowerCase().startsWith(lang)) {
      out.push(`${url}: <html lang="${rec.lang}"> does not match the /${lang}/ tree`);
    }
    const sw = rec.langSwitch.filter((l) => (l.hreflang ?? '').toLowerCase().startsWith(other));
    if (sw.length === 0) {
      out.push(`${url}: no language switch to ${other} ([data-lang-switch] a[hreflang^="${other}"])`);
    }
    for (const l of sw) {
      const p = l.abs ? new URL(l.abs).pathname : null;
      if (p !== twin) out.push(`${url}: language switch href="${l.raw}" leads to ${p}, expected ${twin}`);
    }
    const alt = rec.alternates.filter((l) => (l.hreflang ?? '').toLowerCase().startsWith(other));
    if (alt.length === 0) {
      out.push(`${url}: no <link rel="alternate" hreflang="${other}…"> in <head>`);
    }
    for (const l of alt) {
      const p = l.abs ? new URL(l.abs).pathname : null;
      if (p !== twin) out.push(`${url}: <link rel="alternate" hreflang="${l.hreflang}" href="${l.raw}"> leads to ${p}, expected ${twin}`);
    }
  }
  return out;
}

/**
 * Open `from` + hash with JavaScript on, click the language switch, and expect to land on the
 * counterpart page with the same hash and its element present.
 */
export async function languageClickFailures(browser, baseUrl, from, hash) {
  const to = counterpart(from);
  const other = langOf(to);
  const where = `${from}${hash}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const resp = await page.goto(baseUrl + where, { waitUntil: 'load' });
    if (!resp || resp.status() >= 400) return [`${where}: page did not load (HTTP ${resp?.status()})`];
    const link = page.locator(`[data-lang-switch] a[hreflang^="${other}"]`).first();
    if ((await link.count()) === 0) return [`${where}: no language switch to ${other}`];
    await Promise.all([page.waitForURL((u) => u.pathname === to, { timeout: 10_000 }), link.click()]).catch(() => {});
    const landed = new URL(page.url());
    const out = [];
    if (landed.pathname !== to) out.push(`${where}: the language switch landed on ${landed.pathname}, expected ${to}`);
    if (landed.hash !== hash) out.push(`${where}: the language switch landed on ${landed.pathname}${landed.hash}, expected ${to}${hash} (the #fragment is not carried over)`);
    const id = decodeURIComponent(hash.slice(1));
    if ((await page.locator(`[id="${id.replace(/"/g, '\\"')}"]`).count()) === 0) {
      out.push(`${where}: after the language switch, ${landed.pathname} has no element with id "${id}"`);
    }
    return out;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Print: Chromium's print-to-PDF, read back with pdftotext.

const squash = (s) => s.normalize('NFKC').replace(/[\s\u00ad\u200b\u200c\u200d\ufeff]+/g, '');
const dehyphen = (s) => squash(s).replace(/[-\u2010\u2011]/g, '');

/**
 * Print urlPath to PDF. Every task title (elements with id "task-…", their heading if they
 * hold one) and every paragraph of <main> visible in print must be in the PDF's text; the
 * navigation (the link texts of nav, [role=navigation], header outside <main>) must not.
 * Returns {failures, tasks} (tasks: the task ids found, for the caller's own checks).
 */
export async function printFailures(browser, baseUrl, urlPath, { keepPdf } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const out = [];
  try {
    await page.goto(baseUrl + urlPath, { waitUntil: 'load' });
    const navs = await page.evaluate(() => {
      const seen = new Set();
      const list = [];
      for (const el of document.querySelectorAll('nav, [role="navigation"], header')) {
        if (el.closest('main')) continue;
        const links = [...el.querySelectorAll('a')].map((a) => a.innerText.trim()).filter(Boolean);
        if (links.length < 2) continue;
        const key = links.join('\u0001');
        if (seen.has(key)) continue;
        seen.add(key);
        const label = el.getAttribute('aria-label') ? `[aria-label="${el.getAttribute('aria-label')}"]` : '';
        list.push({ what: el.localName + label, links });
      }
      return list;
    });
    await page.emulateMedia({ media: 'print' });
    const { tasks, paragraphs } = await page.evaluate(() => {
      const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const main = document.querySelector('main') ?? document.body;
      const tasks = [];
      for (const el of main.querySelectorAll('[id^="task-"]')) {
        if (el.parentElement?.closest('[id^="task-"]')) continue; // the outermost only
        const heading = /^H[1-6]$/.test(el.tagName) ? el : el.querySelector('h1, h2, h3, h4, h5, h6');
        tasks.push({ id: el.id, title: (heading ?? el).innerText.trim(), visible: visible(heading ?? el) });
      }
      const paragraphs = [...main.querySelectorAll('p')]
        .filter((p) => visible(p) && !p.closest('[aria-hidden="true"]'))
        .map((p) => p.innerText.trim())
        .filter((t) => t.length > 0);
      return { tasks, paragraphs };
    });
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'print-'));
    const file = path.join(tmp, 'page.pdf');
    fs.writeFileSync(file, pdf);
    // pdftotext's default reading order sometimes moves a run in another font (the "1." before
    // a Chinese title) elsewhere; -raw keeps the content stream's order, which is Chromium's
    // paint order. The default mode joins words hyphenated at a line end ("e-\ncommerce" ->
    // "ecommerce"). A text counts as printed when it is found, hyphens aside, in either output.
    const outputs = [];
    for (const mode of [[], ['-raw']]) {
      const { stdout } = await run('pdftotext', [...mode, '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });
      outputs.push(stdout);
    }
    if (keepPdf) fs.copyFileSync(file, keepPdf);
    fs.rmSync(tmp, { recursive: true, force: true });
    const texts = outputs.map(dehyphen);
    const has = (s) => texts.some((t) => t.includes(dehyphen(s)));

    if (tasks.length === 0) out.push(`${urlPath}: no task found to check the print (no element with an id starting "task-" in <main>)`);
    for (const t of tasks) {
      if (!t.title) out.push(`${urlPath}: #${t.id} has no title text`);
      else if (!has(t.title)) out.push(`${urlPath}: printed PDF lacks the task title ${JSON.stringify(short(t.title))} (#${t.id})`);
    }
    for (const p of paragraphs) {
      if (!has(p)) out.push(`${urlPath}: printed PDF lacks the paragraph ${JSON.stringify(short(p))}`);
    }
    for (const n of navs) {
      if (has(n.links.join(''))) {
        out.push(`${urlPath}: printed PDF contains the navigation ${n.what} (${JSON.stringify(short(n.links.join(' · ')))})`);
      }
    }
    return { failures: out, tasks: tasks.map((t) => t.id) };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Markup: html-validate, in node, over the files themselves.

export function loadHtmlValidateConfig(repoRoot) {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, '.htmlvalidate.json'), 'utf8'));
}

export async function htmlFailures(pages, config) {
  const hv = new HtmlValidate(new StaticConfigLoader(config));
  const out = [];
  for (const { file, path: urlPath } of pages) {
    const report = await hv.validateString(fs.readFileSync(file, 'utf8'), file);
    for (const r of report.results) {
      for (const m of r.messages) {
        if (m.severity !== 2) continue;
        out.push(`${urlPath}:${m.line}:${m.column}: html-validate ${m.ruleId}: ${m.message}`);
      }
    }
  }
  return out;
}
