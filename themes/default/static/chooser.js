// Preselects the reader's browser language; the choice stays the reader's.
var pref = (navigator.language || '').toLowerCase().indexOf('zh') === 0 ? 'choose-zh' : 'choose-en';
var el = document.getElementById(pref);
if (el) { el.classList.add('preferred'); }
