// The pages of a built site and how URLs map to its files.
import fs from 'node:fs';
import path from 'node:path';
import { resolvePath } from './server.mjs';

export const LANGS = ['zh', 'en'];

/** Every .html file under root, as {file, path} with path the URL path ("/zh/plan/"). Sorted. */
export function findPages(root) {
  const out = [];
  const walk = (dir) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(abs);
      else if (ent.isFile() && ent.name.endsWith('.html')) {
        const rel = path.relative(root, abs).split(path.sep).join('/');
        const url = ent.name === 'index.html' ? '/' + rel.slice(0, -'index.html'.length) : '/' + rel;
        out.push({ file: abs, path: url });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The file a same-site URL pathname serves, following a folder redirect; null when none. */
export function fileFor(root, pathname) {
  let hit = resolvePath(root, pathname);
  if (hit?.redirect) hit = resolvePath(root, hit.redirect);
  return hit?.file ?? null;
}

/** "zh" | "en" | null, from the first path segment. */
export function langOf(urlPath) {
  const m = /^\/(zh|en)(\/|$)/.exec(urlPath);
  return m ? m[1] : null;
}

/** The same path in the other language ("/zh/plan/" -> "/en/plan/"); null outside /zh/, /en/. */
export function counterpart(urlPath) {
  const lang = langOf(urlPath);
  if (!lang) return null;
  const other = lang === 'zh' ? 'en' : 'zh';
  return '/' + other + urlPath.slice(3);
}

/** Reading pages: every page of the two language trees but the JS apps (calculator, search). */
export function isReadingPage(urlPath) {
  return langOf(urlPath) !== null && !/^\/(zh|en)\/(calculator|search)\//.test(urlPath);
}
