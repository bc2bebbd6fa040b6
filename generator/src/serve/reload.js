// The live preview's reload (generator serve injects it into every page it serves; it is never
// part of dist/). The page was served at build generation `data-generation`; when the server
// reports another, a rebuild has finished (or failed, and the page will show its banner): reload.
// A file, not an inline script, so the preview runs under the site's Content-Security-Policy.
(function () {
  'use strict';
  var served = document.currentScript.getAttribute('data-generation');
  setInterval(function () {
    fetch('/__serve/generation', { cache: 'no-store' })
      .then(function (r) { return r.text(); })
      .then(function (g) { if (g !== served) location.reload(); })
      .catch(function () { /* the server is restarting: try again at the next tick */ });
  }, 700);
})();
