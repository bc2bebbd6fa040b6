// Layout checks: what a reader sees on a phone and on paper. Each function returns a list of
// failure messages naming the page, like the checks in checks.mjs. The in-page measurements are
// plain functions passed to page.evaluate, so layout.test.mjs can also run them on planted
// markup and show that each one fails when it should.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The phone the layout checks use (an iPhone 12–15's CSS width). */
export const PHONE = { width: 390, height: 844 };

const short = (s, n = 60) => {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
};

// ---------------------------------------------------------------------------------------------
// In the page (serialised by page.evaluate: no closures over this module).

/**
 * Text cut or shrunk inside `selector` (the targets chart): every element holding text of its
 * own must fit its own box (scrollWidth ≤ clientWidth for HTML), lie inside the container's box
 * (an SVG <text> drawn past the drawing's edge is cut there), and be drawn at least at 85 % of
 * the body's font size (a scaled drawing shrinks its text with it).
 */
export function clippedTextIn(selector) {
  const out = [];
  const containers = document.querySelectorAll(selector);
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  for (const box of containers) {
    const outer = box.getBoundingClientRect();
    for (const el of box.querySelectorAll('*')) {
      const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
      if (!own || !el.getClientRects().length) continue;
      const r = el.getBoundingClientRect();
      const what = `<${el.localName}> "${own.slice(0, 40)}"`;
      if (el instanceof HTMLElement && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline') {
        out.push(`${what} is cut: ${el.scrollWidth}px of text in a ${el.clientWidth}px box`);
      }
      if (r.left < outer.left - 1 || r.right > outer.right + 1 || r.top < outer.top - 1 || r.bottom > outer.bottom + 1) {
        out.push(`${what} reaches outside the chart (${Math.round(r.left)}–${Math.round(r.right)}px, chart ${Math.round(outer.left)}–${Math.round(outer.right)}px)`);
      }
      // The drawn size: a glyph box's height is about the font size it is drawn at.
      const range = document.createRange();
      range.selectNodeContents(el);
      const glyphs = [...range.getClientRects()].filter((g) => g.width > 0);
      const drawn = glyphs.length ? Math.min(...glyphs.map((g) => g.height)) : r.height;
      if (drawn < 0.85 * body) out.push(`${what} is drawn ${drawn.toFixed(1)}px high, under the body's ${body}px text`);
    }
  }
  if (!containers.length) out.push(`no element matches ${selector}`);
  return out;
}

/**
 * Table cells narrower than two characters: the text of such a column wraps one character a
 * line. Cells inside a visually hidden part (clipped, as a screen-reader-only header) are not
 * seen and are skipped.
 */
export function narrowCells() {
  const out = [];
  const hidden = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.clip !== 'auto' || cs.clipPath !== 'none') return true;
    }
    return false;
  };
  for (const c of document.querySelectorAll('td, th')) {
    if (!c.textContent.trim() || !c.getClientRects().length || hidden(c)) continue;
    const cs = getComputedStyle(c);
    const width = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const two = 2 * parseFloat(cs.fontSize);
    if (width < two) out.push(`a table cell "${c.textContent.trim().slice(0, 30)}" is ${Math.round(width)}px wide, under two characters (${two}px)`);
  }
  return out;
}

/**
 * The rows the header takes besides the site's title: its visible controls (links, buttons,
 * fields) grouped into lines by their vertical extent; lines beside the title do not count.
 * Returns {rows, title} with rows a list of each extra row's control texts.
 */
export function headerRows() {
  const header = document.querySelector('body > header, .site-header');
  if (!header) return { rows: [], title: null };
  const brand = header.querySelector('.brand');
  const b = brand?.getBoundingClientRect();
  const lines = [];
  for (const el of header.querySelectorAll('a, button, input, select, summary')) {
    if (el === brand || !el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(el).visibility === 'hidden') continue;
    if (b && r.top < b.bottom && r.bottom > b.top) continue; // beside the title
    const text = (el.innerText || el.value || el.placeholder || el.localName).trim();
    const line = lines.find((l) => r.top < l.bottom - 2 && r.bottom > l.top + 2);
    if (line) {
      line.top = Math.min(line.top, r.top);
      line.bottom = Math.max(line.bottom, r.bottom);
      line.texts.push(text);
    } else lines.push({ top: r.top, bottom: r.bottom, texts: [text] });
  }
  return { rows: lines.map((l) => l.texts), title: brand?.innerText.trim() ?? null };
}

/**
 * What goes sideways on a narrow screen: the page wider than the window, and a scrollbar drawn
 * under any element of the header (a menu row that scrolls should be swiped, not show a bar).
 * Needs a browser that draws scrollbars (launch({scrollbars: true})). Returns messages.
 */
export function sidewaysOverflow() {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`the page is ${doc.scrollWidth - doc.clientWidth} px wider than the window`);
  const header = document.querySelector('body > header, .site-header');
  for (const el of header ? [header, ...header.querySelectorAll('*')] : []) {
    if (!el.getClientRects().length || el.scrollWidth <= el.clientWidth) continue;
    const cs = getComputedStyle(el);
    const bar = el.offsetHeight - el.clientHeight - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth);
    if (bar > 0) out.push(`a ${bar} px scrollbar under <${el.localName}${el.className ? '.' + el.className : ''}> in the header`);
  }
  return out;
}

/**
 * The header's visible ways to search: search fields, the buttons of a search form, links to a
 * search page. Returns their texts.
 */
export function headerSearchControls() {
  const header = document.querySelector('body > header, .site-header');
  if (!header) return [];
  const seen = [];
  for (const el of header.querySelectorAll('input[type="search"], [role="search"] button, a[href]')) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    if (el.localName === 'a' && (el.hasAttribute('hreflang') || !/(^|\/)search\/?([?#].*)?$/.test(el.getAttribute('href')))) continue;
    // A field and its form's button are one search box.
    if (el.localName === 'button' && el.form?.querySelector('input[type="search"]:not([hidden])')?.getClientRects().length) continue;
    seen.push((el.innerText || el.placeholder || el.localName).trim());
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------
// In node.

/** Opens urlPath in `page` (at the phone's width) and runs the phone checks on it. */
export async function phoneFailures(page, baseUrl, urlPath) {
  await page.goto(baseUrl + urlPath, { waitUntil: 'load' });
  const out = [];
  for (const m of await page.evaluate(narrowCells)) out.push(`${urlPath}: ${m}`);
  const { rows } = await page.evaluate(headerRows);
  if (rows.length > 1) {
    out.push(`${urlPath}: the header takes ${rows.length} lines besides the title (${rows.map((r) => short(r.join(' '), 30)).join(' / ')})`);
  }
  const searches = await page.evaluate(headerSearchControls);
  if (searches.length > 1) out.push(`${urlPath}: ${searches.length} ways to search in the header (${searches.join(', ')}), one expected`);
  if (/\/search\/$/.test(urlPath)) {
    const boxes = await page.locator('input[type="search"]:visible').count();
    if (boxes !== 1) out.push(`${urlPath}: ${boxes} search boxes visible (one expected)`);
  }
  if (await page.locator('figure.targets').count()) {
    for (const m of await page.evaluate(clippedTextIn, 'figure.targets')) out.push(`${urlPath}: chart: ${m}`);
  }
  return out;
}

/**
 * Headings left alone at the foot of a page: prints urlPath to PDF (A4, as a reader would),
 * then reads each page's last line with `pdftotext -layout`; a page whose last line is the end
 * of a heading of <main> (a line made of nothing but the heading's last words) fails. The
 * headings are taken from the DOM under print media, so only printed headings count.
 */
export async function orphanHeadingFailures(browser, baseUrl, urlPath, { keepPdf } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const out = [];
  try {
    await page.goto(baseUrl + urlPath, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const headings = await page.evaluate(() =>
      [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6, main caption, main figcaption')]
        .filter((h) => h.getClientRects().length && getComputedStyle(h).visibility !== 'hidden')
        .map((h) => h.innerText.trim())
        .filter(Boolean),
    );
    const pdf = await page.pdf({ format: 'A4' });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orphans-'));
    const file = path.join(tmp, 'page.pdf');
    fs.writeFileSync(file, pdf);
    if (keepPdf) fs.copyFileSync(file, keepPdf);
    const { stdout: info } = await run('pdfinfo', [file]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
    const squash = (s) => s.normalize('NFKC').replace(/[\s\u00ad\u200b]+/g, '').replace(/[-\u2010\u2011]/g, '');
    const heads = headings.map((h) => ({ text: h, key: squash(h) }));
    // The last page's end is the document's end: a heading there is followed by nothing at all.
    for (let n = 1; n < pages; n++) {
      const { stdout } = await run('pdftotext', ['-layout', '-f', String(n), '-l', String(n), '-enc', 'UTF-8', file, '-']);
      const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      const last = squash(lines.at(-1) ?? '');
      if (last.length < 2) continue;
      const h = heads.find((x) => x.key.endsWith(last));
      if (h) out.push(`${urlPath}: page ${n} of ${pages} ends with the heading ${JSON.stringify(short(h.text))}, its text on the next page`);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!headings.length) out.push(`${urlPath}: no heading found in <main> to check the print`);
    if (pages < 2) out.push(`${urlPath}: printed on ${pages} page(s); the check needs page breaks`);
  } finally {
    await context.close();
  }
  return out;
}

/**
 * Lines the site adds to the issued text (`.site-added`) must say so on paper as on screen:
 * each, under print media, is visible and begins with its mark (`.site-mark`, visible, with
 * words), and the mark and the line's words are printed together in the PDF (pdftotext).
 * `expect` is how many such lines the page must have at least (so the check cannot pass empty).
 */
export async function siteAddedFailures(browser, baseUrl, urlPath, expect = 1) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const out = [];
  try {
    await page.goto(baseUrl + urlPath, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const lines = await page.evaluate(() =>
      [...document.querySelectorAll('main .site-added')].map((el) => {
        const seen = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
        const mark = el.querySelector('.site-mark');
        return { text: el.innerText.trim(), mark: mark?.innerText.trim() ?? '', visible: seen(el), markVisible: seen(mark) };
      }),
    );
    const pdf = await page.pdf({ format: 'A4' });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'site-added-'));
    const file = path.join(tmp, 'page.pdf');
    fs.writeFileSync(file, pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });
    fs.rmSync(tmp, { recursive: true, force: true });
    const squash = (s) => s.normalize('NFKC').replace(/[\s\u00ad\u200b]+/g, '').replace(/[-\u2010\u2011]/g, '');
    const printed = squash(stdout);
    if (lines.length < expect) out.push(`${urlPath}: ${lines.length} line(s) marked as added by the site, expected at least ${expect}`);
    for (const l of lines) {
      const what = `${urlPath}: the site's line ${JSON.stringify(short(l.text))}`;
      if (!l.visible) out.push(`${what} is not printed`);
      else if (!l.mark || !l.markVisible) out.push(`${what} has no mark printed with it`);
      else if (!l.text.startsWith(l.mark)) out.push(`${what} does not begin with its mark ${JSON.stringify(l.mark)}`);
      else if (!printed.includes(squash(l.text))) out.push(`${what} is not in the PDF with its mark`);
    }
  } finally {
    await context.close();
  }
  return out;
}
