// The root page `/`: opens the reader's language at once when we know it, and is otherwise the
// chooser. Loaded in <head> without `defer`, so a reader sent on never sees the chooser drawn.
// Known means, in this order: the choice the reader made with the language switch or on this
// page (kept in localStorage by site.js and below), then the first of the browser's languages
// (navigator.languages) that is Chinese or English. `/?choose` always shows the chooser; without
// JavaScript the page is the chooser.
(function () {
  var KEY = 'policy-site-lang';
  var ours = function (tag) {
    var primary = String(tag || '').toLowerCase().split('-')[0];
    return primary === 'zh' || primary === 'en' ? primary : null;
  };
  var remembered = null;
  try { remembered = ours(localStorage.getItem(KEY)); } catch (e) { /* storage refused: ask the browser */ }
  var browser = null;
  var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (var i = 0; i < langs.length && !browser; i++) { browser = ours(langs[i]); }
  var lang = remembered || browser;
  if (lang && !/[?&]choose(=|&|$)/.test(location.search)) {
    location.replace(lang + '/' + location.hash);
    return;
  }
  document.addEventListener('DOMContentLoaded', function () {
    // Staying: show the browser's language as the likelier choice, and remember the one taken.
    var preferred = document.getElementById('choose-' + (browser || 'en'));
    if (preferred) { preferred.classList.add('preferred'); }
    document.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('.choose a[hreflang]');
      if (!a) { return; }
      try { localStorage.setItem(KEY, ours(a.getAttribute('hreflang'))); } catch (err) { /* not kept */ }
    });
  });
})();
