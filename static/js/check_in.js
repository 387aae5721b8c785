// Check-in: filter the list as staff type. Without this script the search form does the same
// on the server. A tap sends the server's search along (none after filtering here), so the
// page comes back with the whole list and an empty box, ready for the next name.
(function () {
  "use strict";
  var box = document.querySelector("[data-check-in-search]");
  if (!box) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".check-in-row"));
  var none = document.getElementById("check-in-none");
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    if (none) none.hidden = shown > 0 || rows.length === 0;
  }
  box.addEventListener("input", filter);
})();
