// Works out on the reader's own date (China time, UTC+8) what the build could only state as of
// the build date: each document's status, whether a later version is in force, and which
// documents the library list shows. The words come from the page; only the dates are compared.
// Without JavaScript the page keeps the build date's status, which says it is as of that date.
(function () {
  'use strict';
  // The date in China: UTC+8 all year (no daylight saving), whatever the reader's time zone.
  var today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  function reached(d) { return !!d && today >= d; }

  function statusKey(d) {
    if (reached(d.superseded)) { return 'status_superseded'; }
    if (d.record) { return reached(d.partly) ? 'status_partly_superseded' : 'status_record'; }
    if (d.effective && today < d.effective) { return 'status_pending'; }
    if (d.expires && today > d.expires) { return 'status_expired'; }
    if (reached(d.partly)) { return 'status_partly_superseded'; }
    return 'status_in_force';
  }

  document.querySelectorAll('[data-status]').forEach(function (el) {
    var key = statusKey(el.dataset);
    var words;
    try { words = JSON.parse(el.dataset.words); } catch (e) { return; }
    el.textContent = words[key] + (el.dataset.asOf || '').replace('{date}', today);
    el.setAttribute('data-key', key);
    var cell = el.closest('td');
    if (cell) { cell.className = key; }
  });

  // A later version: shown once the reader's date reaches it.
  document.querySelectorAll('[data-from]').forEach(function (el) {
    el.hidden = today < el.dataset.from;
  });

  // The timeline: the version the stable URL shows on the reader's date (the first one before
  // any has taken effect), and one mark per version saying where it stands on that date; it
  // replaces the build date's mark, so no version reads two statuses.
  var timeline = document.querySelector('.timeline');
  var items = Array.prototype.slice.call(document.querySelectorAll('.timeline > li[data-version]'));
  items.forEach(function (li, i) {
    var from = i === 0 ? '' : li.dataset.version;
    var until = li.dataset.until;
    var now = today >= from && (!until || today < until);
    li.classList.toggle('in-force-today', now);
    var mark = li.querySelector('.version-mark');
    if (!mark || !timeline) { return; }
    var expires = timeline.dataset.expires;
    var key = today < li.dataset.version ? 'pending'
      : until && today >= until ? 'superseded'
      : expires && today > expires ? 'expired' : 'now';
    mark.textContent = timeline.dataset[key] || '';
    mark.setAttribute('data-key', key);
    mark.hidden = !mark.textContent;
  });

  // The library list: filter by status and year.
  var filter = document.querySelector('[data-library-filter]');
  if (filter) {
    filter.hidden = false;
    var apply = function () {
      var st = filter.querySelector('[name=status]').value;
      var yr = filter.querySelector('[name=year]').value;
      document.querySelectorAll('.library-list > li').forEach(function (li) {
        var s = li.querySelector('[data-status]');
        var key = s ? s.getAttribute('data-key') : '';
        li.hidden = (st && key !== st) || (yr && li.dataset.year !== yr);
      });
    };
    filter.addEventListener('change', apply);
  }

  // Point in time: open the version in force on a chosen date.
  var pit = document.querySelector('[data-point-in-time]');
  if (pit) {
    pit.hidden = false;
    var versions = JSON.parse(pit.dataset.versions || '[]');
    pit.elements.date.value = today;
    pit.addEventListener('submit', function (e) {
      e.preventDefault();
      var day = pit.elements.date.value;
      var found = null;
      versions.forEach(function (v) { if (v.date <= day) { found = v; } });
      if (found) { location.href = found.href; } else {
        pit.querySelector('[data-pit-result]').textContent = pit.dataset.none;
      }
    });
  }

  // Any two versions: the two selects lead to the pair's what-changed page, one of the links
  // listed below the form (which is all a reader without JavaScript sees).
  var pairs = document.querySelector('[data-version-pairs]');
  if (pairs) {
    pairs.hidden = false;
    pairs.addEventListener('submit', function (e) {
      e.preventDefault();
      var a = pairs.elements.old.value, b = pairs.elements.new.value;
      if (a === b) { return; }
      var lo = a < b ? a : b, hi = a < b ? b : a;
      var link = document.querySelector('.pair-links a[data-old="' + lo + '"][data-new="' + hi + '"]');
      if (link) { location.href = link.href; }
    });
  }
}());
