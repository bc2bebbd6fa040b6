// A tiny two-language site for the self-test: clean pages that must pass every check, and pages
// with one planted fault each that the checks must report by name.
import fs from 'node:fs';
import path from 'node:path';

const MENU = {
  zh: [['/zh/', '首页'], ['/zh/plan/', '行动方案'], ['/zh/glossary/', '术语表']],
  en: [['/en/', 'Home'], ['/en/plan/', 'Action plan'], ['/en/glossary/', 'Glossary']],
};
const WORDS = {
  zh: { site: '跨境电商政策', menu: '主菜单', other: 'English', otherLang: 'en' },
  en: { site: 'Cross-border e-commerce policy', menu: 'Main menu', other: '中文', otherLang: 'zh' },
};

const CSS = `body { font-family: sans-serif; color: #111; background: #fff; margin: 1rem; }
a { color: #0645ad; }
@media print { header, nav, .no-print { display: none; } }
`;
// The fake site's equivalent of the generator's script: carry the #fragment across the switch.
const SWITCH_JS = `document.querySelectorAll('[data-lang-switch] a[hreflang]').forEach(function (a) {
  a.addEventListener('click', function () { a.href = a.href.split('#')[0] + location.hash; });
});
`;

// The site's policy without WASM (themes/default/templates/csp.html): the clean pages pass under it.
const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
const CSP_META = `<meta http-equiv="Content-Security-Policy" content="${CSP}">`;

/**
 * One page. opts: lang, path, title, main (HTML), twin (language switch target; default the
 * same path in the other language), css (true: the site's stylesheet, or another href), js (carry the hash),
 * extra (HTML appended to body), csp (carry the site's Content-Security-Policy).
 */
function page({ lang, path: p, title, main, twin, css = true, js = true, extra = '', csp = true }) {
  const w = WORDS[lang];
  const other = twin ?? '/' + w.otherLang + p.slice(3);
  const menu = MENU[lang].map(([href, label]) => `<li><a href="${href}">${label}</a></li>`).join('');
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">${csp ? '\n' + CSP_META : ''}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/assets/pic.svg" type="image/svg+xml">
<link rel="alternate" hreflang="${w.otherLang}" href="${other}">
${css ? `<link rel="stylesheet" href="${css === true ? '/assets/site.css' : css}">` : ''}
${js ? '<script src="/assets/site.js" defer></script>' : ''}
</head>
<body>
<header>
<p><a href="/${lang}/">${w.site}</a></p>
<nav aria-label="${w.menu}"><ul>${menu}</ul></nav>
<p data-lang-switch><a href="${other}" hreflang="${w.otherLang}" lang="${w.otherLang}">${w.other}</a></p>
</header>
<main>
${main}
</main>
${extra}
</body>
</html>
`;
}

const PLAN = {
  zh: {
    title: '行动方案',
    tasks: ['培育跨境电商经营主体', '建设跨境电商产业园区', '完善集货仓等仓储物流基础'],
    body: '各地各部门要按照职责分工，抓好各项任务的落实，确保各项工作取得实效。',
  },
  en: {
    title: 'Action plan',
    tasks: ['Grow cross-border e-commerce businesses', 'Build cross-border e-commerce parks', 'Improve the warehousing and logistics base'],
    body: 'Every department shall carry out the tasks assigned to it and make sure that each one is delivered in full.',
  },
};

function planMain(lang, { hideTitle } = {}) {
  const d = PLAN[lang];
  const tasks = d.tasks
    .map(
      (t, i) => `<section id="task-${i + 1}" aria-labelledby="task-${i + 1}-h">
<h2 id="task-${i + 1}-h"${hideTitle && i === 1 ? ' class="no-print"' : ''}>${t}</h2>
<p>${d.body}</p>
</section>`,
    )
    .join('\n');
  return `<h1>${d.title}</h1>\n<p>${d.body}</p>\n${tasks}`;
}

const PARA = {
  zh: '这是一个用于自检的页面，它包含足够长的正文，使禁用脚本时也能读到主要内容。',
  en: 'This page exists for the self-test; it holds enough body text to be read with scripts off.',
};

export function buildFakeSite(root) {
  const files = {};
  const put = (p, html) => {
    files[p] = html;
  };
  files['/assets/site.css'] = CSS;
  files['/assets/site.js'] = SWITCH_JS;
  files['/assets/print-bad.css'] = '@media print { .no-print { display: none; } }\n';
  files['/assets/pic.svg'] =
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#336"/></svg>\n';
  files['/assets/planted-error.js'] = "console.error('planted console error');\n";

  put('/', `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8">${CSP_META}<meta name="viewport" content="width=device-width, initial-scale=1"><title>跨境电商政策 · Cross-border e-commerce policy</title><link rel="icon" href="/assets/pic.svg" type="image/svg+xml"></head>
<body><main><h1>选择语言 / Choose a language</h1>
<ul><li><a href="/zh/" hreflang="zh">中文</a></li><li><a href="/en/" hreflang="en" lang="en">English</a></li></ul></main></body>
</html>
`);
  for (const lang of ['zh', 'en']) {
    const L = `/${lang}`;
    put(`${L}/`, page({ lang, path: `${L}/`, title: WORDS[lang].site, main: `<h1>${WORDS[lang].site}</h1>\n<p>${PARA[lang]}</p>\n<p><a href="${L}/plan/#task-2">${PLAN[lang].tasks[1]}</a></p>` }));
    put(`${L}/plan/`, page({ lang, path: `${L}/plan/`, title: PLAN[lang].title, main: planMain(lang) }));
    put(`${L}/glossary/`, page({ lang, path: `${L}/glossary/`, title: 'Glossary', main: `<h1>${MENU[lang][2][1]}</h1>\n<p>${PARA[lang]}</p>` }));

    const plain = (name, main, opts = {}) =>
      put(`${L}/${name}/`, page({ lang, path: `${L}/${name}/`, title: name, main: `<h1>${name}</h1>\n<p>${PARA[lang]}</p>\n${main}`, ...opts }));
    const fault = lang === 'zh'; // faults are planted in Chinese; the English twins are clean
    plain('broken-link', fault ? '<p><a href="/zh/nowhere/">nowhere</a> <a href="/zh/plan/#task-99">task 99</a></p>' : '');
    plain('no-alt', fault ? '<p><img src="/assets/pic.svg" width="10" height="10"></p>' : '');
    plain('console', '', fault ? { extra: '<script src="/assets/planted-error.js"></script>\n<p><img src="/assets/missing.png" alt="missing"></p>' } : {});
    plain('invalid', fault ? '<ul><p>not a list item</p></ul>' : '');
    // Content-Security-Policy: an inline script and an inline style attribute, both refused.
    plain('inline-code', fault ? '<p style="color: #600">styled inline</p>' : '',
      fault ? { extra: "<script>document.title += ' (inline)';</script>" } : {});
    put(`${L}/js-only/`, page({ lang, path: `${L}/js-only/`, title: 'js-only', csp: false,
      main: fault ? '<div id="app"></div>' : `<h1>js-only</h1>\n<p>${PARA[lang]}</p>`,
      extra: fault ? `<script>document.getElementById('app').textContent = ${JSON.stringify(PARA[lang])};</script>` : '' }));
    plain('wrong-switch', '', fault ? { twin: '/en/plan/' } : {});
    // A switch without the hash-carrying script, landing on a page that has #task-1.
    put(`${L}/no-hash/`, page({ lang, path: `${L}/no-hash/`, title: 'no-hash', main: planMain(lang), js: !fault }));
    // Print: no print stylesheet (the menu is printed) and a task title hidden in print.
    put(`${L}/print-bad/`, page({ lang, path: `${L}/print-bad/`, title: 'print-bad',
      main: planMain(lang, { hideTitle: fault }), css: fault ? '/assets/print-bad.css' : true }));
  }
  // Missing translation: a Chinese page with no English twin.
  put('/zh/only-zh/', page({ lang: 'zh', path: '/zh/only-zh/', title: 'only-zh', main: `<h1>only-zh</h1>\n<p>${PARA.zh}</p>` }));

  for (const [p, body] of Object.entries(files)) {
    const file = path.join(root, p.endsWith('/') ? p + 'index.html' : p);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }
  return root;
}

/** Pages of the fake site that carry no planted fault: every check must pass on them. */
export const CLEAN_PAGES = ['/', '/zh/', '/en/', '/zh/plan/', '/en/plan/', '/zh/glossary/', '/en/glossary/'];
