// Keeps the reader's place when switching language: the other language's page has the same
// anchors, so carry the fragment along. Without JavaScript the link still lands on the page.
// The switch is also the reader's choice of language: remembered, so that the root page `/`
// opens it next time (static/chooser.js reads the same key).
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('[data-lang-switch] a');
  if (!a) { return; }
  if (location.hash) { a.href = a.href.split('#')[0] + location.hash; }
  var lang = String(a.getAttribute('hreflang') || '').toLowerCase().split('-')[0];
  try { localStorage.setItem('policy-site-lang', lang); } catch (err) { /* storage refused: not kept */ }
});
