// An error summary at the top of a page (a refused form, a refused change): put the keyboard
// and the screen reader on it. Its autofocus attribute does the same without JavaScript; this
// covers browsers that skip autofocus (e.g. a page restored from history).
(function () {
  "use strict";
  var summary = document.getElementById("foutmeldingen");
  if (summary && document.activeElement !== summary) { summary.focus(); }
})();
