// Keeps the reader's place when switching language: the other language's page has the same
// anchors, so carry the fragment along. Without JavaScript the link still lands on the page.
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('[data-lang-switch] a');
  if (a && location.hash) { a.href = a.href.split('#')[0] + location.hash; }
});
